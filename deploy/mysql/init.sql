-- Runs once, when the mysql container initialises an empty data volume, after the image has created
-- the database `callcenter` and the user `callcenter` (MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD_FILE).
-- The image grants that user ALL on the database; narrow it to what the apps and migrations need:
-- data access, schema changes, and the triggers that keep the audit log append-only.
REVOKE ALL PRIVILEGES ON `callcenter`.* FROM 'callcenter'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, REFERENCES, TRIGGER
  ON `callcenter`.* TO 'callcenter'@'%';
FLUSH PRIVILEGES;
