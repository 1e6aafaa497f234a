//! Dashboard accounts: users (emails compared in lower case) and their passwords, and signed-in
//! sessions, stored under the hash of their token with a CSRF token, revocable one by one or all
//! of a user's at once.

/// Hands the accounts methods to [`store_methods!`](super::store_methods).
macro_rules! account_methods {
    ($($chain:tt)*) => {
        $crate::store::common::store_methods! { $($chain)* =>
            async fn create_user(
                &self,
                email: &str,
                password_hash: &str,
                role: Role,
                business_id: Option<&str>,
                at: Timestamp,
            ) -> Result<User> {
                let row = sqlx::query_as::<_, UserRow>(
                    "INSERT INTO users (id, email, password_hash, role, business_id, created_at_us)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(email.to_lowercase())
                .bind(password_hash)
                .bind(name_of(&role))
                .bind(business_id)
                .bind(us(at))
                .fetch_one(&self.writer)
                .await?;
                row.into_user()
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
                sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE email = $1")
                    .bind(email.to_lowercase())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(UserRow::into_user)
                    .transpose()
            }

            async fn set_password(&self, email: &str, password_hash: &str) -> Result<bool> {
                let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
                    .bind(password_hash)
                    .bind(email.to_lowercase())
                    .execute(&self.writer)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn delete_user(&self, email: &str) -> Result<bool> {
                let done = sqlx::query("DELETE FROM users WHERE email = $1")
                    .bind(email.to_lowercase())
                    .execute(&self.writer)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn user(&self, id: Uuid) -> Result<Option<User>> {
                sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE id = $1")
                    .bind(id.to_string())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(UserRow::into_user)
                    .transpose()
            }

            async fn create_session(
                &self,
                id_hash: &str,
                user_id: Uuid,
                csrf: &str,
                at: Timestamp,
                expires: Timestamp,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO sessions (id_hash, user_id, csrf, created_at_us, expires_at_us) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id_hash)
                .bind(user_id.to_string())
                .bind(csrf)
                .bind(us(at))
                .bind(us(expires))
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn session(&self, id_hash: &str, now: Timestamp) -> Result<Option<SessionRecord>> {
                let found: Option<(String, String, i64)> = sqlx::query_as(
                    "SELECT user_id, csrf, expires_at_us FROM sessions
                     WHERE id_hash = $1 AND revoked_at_us IS NULL AND expires_at_us > $2",
                )
                .bind(id_hash)
                .bind(us(now))
                .fetch_optional(&self.pool)
                .await?;
                let Some((user_id, csrf, expires)) = found else { return Ok(None) };
                let user_id = Uuid::parse_str(&user_id).map_err(|e| StoreError::Corrupt {
                    what: "session",
                    detail: format!("{user_id:?}: {e}"),
                })?;
                Ok(match self.user(user_id).await? {
                    Some(user) => Some(SessionRecord { user, csrf, expires_at: ts(expires)? }),
                    None => None,
                })
            }

            async fn revoke_session(&self, id_hash: &str, at: Timestamp) -> Result<()> {
                sqlx::query("UPDATE sessions SET revoked_at_us = $1 WHERE id_hash = $2 AND revoked_at_us IS NULL")
                    .bind(us(at))
                    .bind(id_hash)
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn revoke_user_sessions(&self, user_id: Uuid, at: Timestamp) -> Result<u64> {
                let done = sqlx::query("UPDATE sessions SET revoked_at_us = $1 WHERE user_id = $2 AND revoked_at_us IS NULL")
                    .bind(us(at))
                    .bind(user_id.to_string())
                    .execute(&self.writer)
                    .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use account_methods;
