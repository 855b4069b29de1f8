//! Slugs: the readable part of public URLs. Lower-case ASCII letters, digits and single
//! hyphens, 1 to 100 characters; made from a title when staff leave the field empty.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

pub const MAX_CHARS: usize = 100;

impl Slug {
    /// A slug typed by staff; `Err` says what is wrong.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let slug = raw.trim();
        if slug.is_empty() {
            return Err("Enter a slug");
        }
        if slug.len() > MAX_CHARS {
            return Err("Slugs must be 100 characters or fewer");
        }
        let valid = slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !slug.starts_with('-')
            && !slug.ends_with('-')
            && !slug.contains("--");
        if !valid {
            return Err(
                "Use only lower-case letters, digits and single hyphens, like free-them-now",
            );
        }
        Ok(Self(slug.to_string()))
    }

    /// From a title in any script (transliterated); a random one if nothing is left.
    pub fn from_title(title: &str) -> Self {
        let mut made = slug::slugify(title);
        if made.len() > MAX_CHARS {
            made.truncate(MAX_CHARS);
            made = made.trim_end_matches('-').to_string();
        }
        if made.is_empty() {
            made = format!("item-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        }
        Self(made)
    }

    /// The slug typed, or one made from `title` when the field was left empty.
    pub fn parse_or_from(raw: &str, title: &str) -> Result<Self, &'static str> {
        if raw.trim().is_empty() {
            Ok(Self::from_title(title))
        } else {
            Self::parse(raw)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_titles_in_any_script() {
        assert_eq!(
            Slug::from_title("Free Cambodia's Prisoners!").as_str(),
            "free-cambodia-s-prisoners"
        );
        assert!(Slug::parse(Slug::from_title("ព្រះរាជាណាចក្រកម្ពុជា").as_str()).is_ok());
        assert!(Slug::parse(Slug::from_title("!!!").as_str()).is_ok());
        assert!(Slug::from_title(&"word ".repeat(60)).as_str().len() <= MAX_CHARS);
    }

    #[test]
    fn typed_slugs_are_checked() {
        assert!(Slug::parse("free-them-2026").is_ok());
        for bad in [
            "", "Upper", "sp ace", "-lead", "trail-", "dou--ble", "<b>", "ü",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }
}
