"""People who use the web console and the API: users with roles and argon2 password hashes
(`netrawat.accounts.users`), the password rules (`netrawat.accounts.passwords`) and the audit
log of what they did (`netrawat.accounts.audit`). Stored in the recap database."""
