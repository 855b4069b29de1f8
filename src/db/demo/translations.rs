//! The demo's French and Khmer translations, written by Clarion's developers (the
//! translation pages say so): the campaign, the petition, the letter action and the
//! article, so that `/fr/` and `/km/` show a whole campaign in their language.

use crate::db::translations::save_by;
use crate::db::{DbConnection, DbError};
use crate::i18n::Lang;

/// The ids of what the demo created.
pub struct Seeded<'a> {
    pub campaign: &'a str,
    pub petition: &'a str,
    pub contact: &'a str,
    pub article: &'a str,
}

pub fn seed(conn: &mut DbConnection, ids: &Seeded) -> Result<(), DbError> {
    french(conn, ids)?;
    khmer(conn, ids)
}

fn french(conn: &mut DbConnection, ids: &Seeded) -> Result<(), DbError> {
    let lang = Lang::Fr;
    save_by(conn, None, ("campaign", ids.campaign), lang, &[
        ("title", "Libérer les prisonniers politiques du Cambodge"),
        ("summary", "Des centaines de Cambodgiens sont emprisonnés pour avoir pris la parole. Nous demandons aux élus européens d'agir jusqu'à ce que chacun d'eux soit libre."),
    ])?;
    save_by(conn, None, ("action", ids.petition), lang, &[
        ("title", "Agir sur la résolution du Parlement européen sur le Cambodge"),
        ("summary", "Demandez aux eurodéputés d'obtenir des sanctions et la libération de chaque prisonnier politique au Cambodge."),
        ("addressee", "Députés du Parlement européen"),
        ("body_md", include_str!("petition.fr.md")),
    ])?;
    save_by(conn, None, ("action", ids.contact), lang, &[
        ("title", "Écrire à vos eurodéputés"),
        ("summary", "Envoyez votre propre lettre aux députés européens qui vous représentent (démo\u{a0}: des eurodéputés fictifs sur example.org)."),
        ("subject_template", "Agissez sur la résolution du Parlement sur le Cambodge"),
        ("body_template", "Madame, Monsieur {target_name},\n\nLe 28 novembre, le Parlement européen a adopté une résolution sur le Cambodge. Je vous demande d'obtenir des sanctions ciblées contre les responsables de la répression politique et de maintenir la pression jusqu'à la libération de chaque prisonnier politique.\n\nVeuillez agréer mes salutations distinguées,\n{supporter_name}\n{supporter_country}"),
    ])?;
    save_by(conn, None, ("article", ids.article), lang, &[
        ("title", "Le Parlement européen trace une feuille de route face à la répression au Cambodge"),
        ("standfirst", "Une résolution adoptée le 28 novembre demande des sanctions ciblées et une pression constante jusqu'à la libération de tous les prisonniers politiques."),
        ("body_md", include_str!("article.fr.md")),
    ])
}

fn khmer(conn: &mut DbConnection, ids: &Seeded) -> Result<(), DbError> {
    let lang = Lang::Km;
    save_by(conn, None, ("campaign", ids.campaign), lang, &[
        ("title", "ដោះលែង\u{200b}អ្នក\u{200b}ទោស\u{200b}នយោបាយ\u{200b}កម្ពុជា"),
        ("summary", "ប្រជាជន\u{200b}កម្ពុជា\u{200b}រាប់\u{200b}រយ\u{200b}នាក់\u{200b}ជាប់\u{200b}ពន្ធនាគារ ដោយសារ\u{200b}តែ\u{200b}បាន\u{200b}និយាយ\u{200b}ការពិត។ យើង\u{200b}ស្នើ\u{200b}តំណាង\u{200b}ជាប់\u{200b}ឆ្នោត\u{200b}នៅ\u{200b}អឺរ៉ុប ឱ្យ\u{200b}ធ្វើ\u{200b}សកម្មភាព រហូត\u{200b}ដល់\u{200b}ពួកគេ\u{200b}គ្រប់\u{200b}រូប\u{200b}មាន\u{200b}សេរីភាព។"),
    ])?;
    save_by(conn, None, ("action", ids.petition), lang, &[
        ("title", "ធ្វើ\u{200b}សកម្មភាព\u{200b}លើ\u{200b}សេចក្តី\u{200b}សម្រេច\u{200b}របស់\u{200b}សភា\u{200b}អឺរ៉ុប\u{200b}ស្តីពី\u{200b}កម្ពុជា"),
        ("summary", "ស្នើ\u{200b}សមាជិក\u{200b}សភា\u{200b}អឺរ៉ុប ឱ្យ\u{200b}ជំរុញ\u{200b}ទណ្ឌកម្ម និង\u{200b}ការ\u{200b}ដោះលែង\u{200b}អ្នក\u{200b}ទោស\u{200b}នយោបាយ\u{200b}គ្រប់\u{200b}រូប\u{200b}នៅ\u{200b}កម្ពុជា។"),
        ("addressee", "សមាជិក\u{200b}សភា\u{200b}អឺរ៉ុប"),
        ("body_md", include_str!("petition.km.md")),
    ])?;
    save_by(conn, None, ("action", ids.contact), lang, &[
        ("title", "សរសេរ\u{200b}ទៅ\u{200b}សមាជិក\u{200b}សភា\u{200b}អឺរ៉ុប\u{200b}របស់\u{200b}អ្នក"),
        ("summary", "ផ្ញើ\u{200b}លិខិត\u{200b}ផ្ទាល់\u{200b}ខ្លួន\u{200b}របស់\u{200b}អ្នក ទៅ\u{200b}សមាជិក\u{200b}សភា\u{200b}អឺរ៉ុប\u{200b}ដែល\u{200b}តំណាង\u{200b}ឱ្យ\u{200b}អ្នក (សាកល្បង៖ សមាជិក\u{200b}សភា\u{200b}ប្រឌិត នៅ example.org)។"),
        ("subject_template", "សូម\u{200b}ធ្វើ\u{200b}សកម្មភាព\u{200b}លើ\u{200b}សេចក្តី\u{200b}សម្រេច\u{200b}របស់\u{200b}សភា\u{200b}ស្តីពី\u{200b}កម្ពុជា"),
        ("body_template", "គោរព\u{200b}ជូន {target_name}\n\nនៅ\u{200b}ថ្ងៃទី 28 ខែ\u{200b}វិច្ឆិកា សភា\u{200b}អឺរ៉ុប\u{200b}បាន\u{200b}អនុម័ត\u{200b}សេចក្តី\u{200b}សម្រេច\u{200b}មួយ\u{200b}ស្តីពី\u{200b}កម្ពុជា។ ខ្ញុំ\u{200b}សូម\u{200b}ស្នើ\u{200b}ឱ្យ\u{200b}លោក/លោកស្រី ជំរុញ\u{200b}ទណ្ឌកម្ម\u{200b}គោលដៅ លើ\u{200b}អ្នក\u{200b}ទទួល\u{200b}ខុស\u{200b}ត្រូវ\u{200b}ចំពោះ\u{200b}ការ\u{200b}បង្ក្រាប\u{200b}នយោបាយ និង\u{200b}បន្ត\u{200b}ដាក់\u{200b}សម្ពាធ រហូត\u{200b}ដល់\u{200b}អ្នក\u{200b}ទោស\u{200b}នយោបាយ\u{200b}គ្រប់\u{200b}រូប\u{200b}ត្រូវ\u{200b}បាន\u{200b}ដោះលែង។\n\nដោយ\u{200b}ក្តី\u{200b}គោរព\n{supporter_name}\n{supporter_country}"),
    ])?;
    save_by(conn, None, ("article", ids.article), lang, &[
        ("title", "សភា\u{200b}អឺរ៉ុប\u{200b}ដាក់\u{200b}ចេញ\u{200b}ផែនទី\u{200b}បង្ហាញ\u{200b}ផ្លូវ ចំពោះ\u{200b}ការ\u{200b}បង្ក្រាប\u{200b}នៅ\u{200b}កម្ពុជា"),
        ("standfirst", "សេចក្តី\u{200b}សម្រេច\u{200b}ដែល\u{200b}បាន\u{200b}អនុម័ត\u{200b}នៅ\u{200b}ថ្ងៃទី 28 ខែ\u{200b}វិច្ឆិកា ស្នើ\u{200b}ឱ្យ\u{200b}មាន\u{200b}ទណ្ឌកម្ម\u{200b}គោលដៅ និង\u{200b}សម្ពាធ រហូត\u{200b}ដល់\u{200b}អ្នក\u{200b}ទោស\u{200b}នយោបាយ\u{200b}ទាំង\u{200b}អស់\u{200b}មាន\u{200b}សេរីភាព។"),
        ("body_md", include_str!("article.km.md")),
    ])
}
