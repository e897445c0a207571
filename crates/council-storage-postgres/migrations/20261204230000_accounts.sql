-- Accounts an administrator manages: the member's unit, a disabled state (a departed
-- member keeps their records but can no longer log in), and whether the password was set
-- by an administrator and must be changed at the next login. None of this is logged: the
-- change log carries only the Member record.
ALTER TABLE members ADD COLUMN unit TEXT NOT NULL DEFAULT '';
-- When the account was disabled (Unix ms); NULL while it is enabled.
ALTER TABLE members ADD COLUMN disabled_at BIGINT;
ALTER TABLE members ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
