//! Staff accounts: roles and passwords (argon2id, with the crate's recommended costs).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Campaigner,
    Admin,
}

impl Role {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "admin" => Some(Self::Admin),
            "campaigner" => Some(Self::Campaigner),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Campaigner => "campaigner",
        }
    }
}

/// An invitation as typed: a valid address and role, or each refused field's message.
pub fn parse_invitation(
    email: &str,
    role: &str,
) -> Result<(super::email::Email, Role), Vec<(&'static str, String)>> {
    let (email, role) = (super::email::Email::parse(email), Role::parse(role));
    let mut errors = Vec::new();
    if email.is_err() {
        let message = "Enter an email address, like name@example.org";
        errors.push(("email", message.into()));
    }
    if role.is_none() {
        errors.push(("role", "Choose admin or campaigner".into()));
    }
    match (email, role) {
        (Ok(email), Some(role)) => Ok((email, role)),
        _ => Err(errors),
    }
}

/// The staff member behind a request (put there by the admin guard).
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    pub id: String,
    pub email: String,
    pub role: Role,
    /// This session's CSRF token, for the forms a page renders.
    pub csrf: String,
    /// What the last change said ("Saved"), shown once on the page after it.
    pub flash: Option<String>,
}

/// Shortest password a staff member may choose.
pub const MIN_PASSWORD_CHARS: usize = 12;

pub fn check_password_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if password.chars().count() > 1024 {
        return Err("the password must have at most 1024 characters".into());
    }
    if super::password::is_common(password) {
        return Err(
            "this password is too common: attackers try it early. Choose another, such as              four or more unrelated words"
                .into(),
        );
    }
    Ok(())
}

/// An argon2id hash in PHC string form.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password with default parameters")
        .to_string()
}

/// Checks `password` against a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time a real check would, so that an unknown email cannot be told apart
/// from a wrong password by the answer's timing.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("an unused password for timing"));
    let _ = verify_password(password, hash);
}

/// The reason staff give for invalidating or releasing signatures (kept with the decision
/// and in the audit log): required, at most 500 characters, no control characters but
/// line breaks. The error says what to do.
pub fn decision_reason(typed: &str) -> Result<String, &'static str> {
    let reason = typed.trim();
    if reason.is_empty() {
        return Err("Enter a reason");
    }
    if reason.chars().count() > 500 {
        return Err("The reason must be 500 characters or fewer");
    }
    if super::text::has_control(reason, true) {
        return Err("Remove the invisible control characters from the reason");
    }
    Ok(reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_round_trip_through_argon2id() {
        let hash = hash_password("correct horse battery staple");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn roles_parse_and_order() {
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Admin > Role::Campaigner);
    }
}
