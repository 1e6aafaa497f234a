//! Businesses and what is kept about each: the stored profile text, the secret of its calendar
//! feed URL, and the history of profile versions (settings edits and corrections).

/// Hands the businesses methods to [`store_methods!`](super::store_methods).
macro_rules! business_methods {
    ($($chain:tt)*) => {
        $crate::store::common::store_methods! { $($chain)* =>
            async fn upsert_business(
                &self,
                id: &str,
                name: &str,
                profile_toml: &str,
                at: Timestamp,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO businesses (id, name, profile_toml, updated_at_us) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (id) DO UPDATE SET name = $2, profile_toml = $3, updated_at_us = $4",
                )
                .bind(id)
                .bind(name)
                .bind(profile_toml)
                .bind(us(at))
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn business_profile(&self, id: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar("SELECT profile_toml FROM businesses WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn feed_secret(&self, business_id: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar::<_, Option<String>>("SELECT feed_secret FROM businesses WHERE id = $1")
                    .bind(business_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .flatten())
            }

            async fn set_feed_secret(&self, business_id: &str, secret: &str) -> Result<()> {
                sqlx::query("UPDATE businesses SET feed_secret = $1 WHERE id = $2")
                    .bind(secret)
                    .bind(business_id)
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn business_by_feed_secret(&self, secret: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar("SELECT id FROM businesses WHERE feed_secret = $1")
                    .bind(secret)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn add_profile_version(
                &self,
                business_id: &str,
                profile_toml: &str,
                actor: &str,
                note: &str,
                at: Timestamp,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO profile_versions (id, business_id, profile_toml, actor, note, at_us) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(business_id)
                .bind(profile_toml)
                .bind(actor)
                .bind(note)
                .bind(us(at))
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn profile_versions(&self, business_id: &str, limit: i64) -> Result<Vec<ProfileVersion>> {
                let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
                    "SELECT id, business_id, profile_toml, actor, note, at_us FROM profile_versions
                     WHERE business_id = $1 ORDER BY at_us DESC, id DESC LIMIT $2",
                )
                .bind(business_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, business_id, profile_toml, actor, note, at)| {
                        Ok(ProfileVersion {
                            id: Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt {
                                what: "profile version",
                                detail: format!("{id:?}: {e}"),
                            })?,
                            business_id,
                            profile_toml,
                            actor,
                            note,
                            at: ts(at)?,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use business_methods;
