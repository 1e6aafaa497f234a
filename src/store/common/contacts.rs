//! Contacts: one row per phone number per business, created the first time the number calls,
//! texts or fills in a form; names, vehicles, notes, opt-outs and the last review request.

/// Hands the contacts methods to [`store_methods!`](super::store_methods).
macro_rules! contact_methods {
    ($($chain:tt)*) => {
        $crate::store::common::store_methods! { $($chain)* =>
            async fn upsert_contact(&self, business_id: &str, phone: &str, at: Timestamp) -> Result<Contact> {
                sqlx::query(
                    "INSERT INTO contacts (id, business_id, phone, created_at_us, updated_at_us)
                     VALUES ($1, $2, $3, $4, $4) ON CONFLICT (business_id, phone) DO NOTHING",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(business_id)
                .bind(phone)
                .bind(us(at))
                .execute(&self.writer)
                .await?;
                self.contact_by_phone(business_id, phone).await?.ok_or_else(|| StoreError::NotFound {
                    what: "contact",
                    id: phone.to_string(),
                })
            }

            async fn contact(&self, business_id: &str, id: Uuid) -> Result<Option<Contact>> {
                sqlx::query_as::<_, ContactRow>("SELECT * FROM contacts WHERE business_id = $1 AND id = $2")
                    .bind(business_id)
                    .bind(id.to_string())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(ContactRow::into_contact)
                    .transpose()
            }

            async fn contact_by_phone(&self, business_id: &str, phone: &str) -> Result<Option<Contact>> {
                sqlx::query_as::<_, ContactRow>("SELECT * FROM contacts WHERE business_id = $1 AND phone = $2")
                    .bind(business_id)
                    .bind(phone)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(ContactRow::into_contact)
                    .transpose()
            }

            async fn update_contact(&self, c: &Contact, at: Timestamp) -> Result<()> {
                sqlx::query(
                    "UPDATE contacts SET name = $1, vehicles = $2, notes = $3, updated_at_us = $4
                     WHERE business_id = $5 AND id = $6",
                )
                .bind(&c.name)
                .bind(to_text(&c.vehicles))
                .bind(&c.notes)
                .bind(us(at))
                .bind(&c.business_id)
                .bind(c.id.to_string())
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn set_opt_out(
                &self,
                business_id: &str,
                phone: &str,
                opted_out: bool,
                at: Timestamp,
            ) -> Result<Contact> {
                self.upsert_contact(business_id, phone, at).await?;
                sqlx::query(
                    "UPDATE contacts SET opted_out = $1, opted_out_at_us = $2, updated_at_us = $3
                     WHERE business_id = $4 AND phone = $5",
                )
                .bind(opted_out)
                .bind(opted_out.then(|| us(at)))
                .bind(us(at))
                .bind(business_id)
                .bind(phone)
                .execute(&self.writer)
                .await?;
                self.upsert_contact(business_id, phone, at).await
            }

            async fn contacts(&self, business_id: &str, limit: i64) -> Result<Vec<Contact>> {
                let rows = sqlx::query_as::<_, ContactRow>(
                    "SELECT * FROM contacts WHERE business_id = $1 ORDER BY updated_at_us DESC LIMIT $2",
                )
                .bind(business_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, ContactRow::into_contact)
            }

            async fn set_last_review(&self, business_id: &str, contact_id: Uuid, at: Timestamp) -> Result<()> {
                sqlx::query("UPDATE contacts SET last_review_at_us = $1 WHERE business_id = $2 AND id = $3")
                    .bind(us(at))
                    .bind(business_id)
                    .bind(contact_id.to_string())
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use contact_methods;
