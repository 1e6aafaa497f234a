//! The audit log: who did what to which business, and when. Counting an actor's recent entries
//! is also how sign-in attempts are rate-limited.

/// Hands the audit methods to [`store_methods!`](super::store_methods).
macro_rules! audit_methods {
    ($($chain:tt)*) => {
        $crate::store::common::store_methods! { $($chain)* =>
            async fn audit(
                &self,
                business_id: Option<&str>,
                actor: &str,
                action: &str,
                detail: &Value,
                at: Timestamp,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO audit_log (id, business_id, actor, action, detail, at_us) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(business_id)
                .bind(actor)
                .bind(action)
                .bind(to_text(detail))
                .bind(us(at))
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn audit_log(&self, business_id: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>> {
                let rows = sqlx::query_as::<_, AuditRow>(
                    "SELECT * FROM audit_log WHERE ($1 IS NULL OR business_id = $1) ORDER BY at_us DESC, id DESC LIMIT $2",
                )
                .bind(business_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, AuditRow::into_entry)
            }

            async fn audit_count(&self, actor: &str, action: &str, since: Timestamp) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM audit_log WHERE actor = $1 AND action = $2 AND at_us >= $3",
                )
                .bind(actor)
                .bind(action)
                .bind(us(since))
                .fetch_one(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use audit_methods;
