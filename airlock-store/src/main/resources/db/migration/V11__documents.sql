-- Documents that entered the system, with their source, and how far each source is trusted.
CREATE TABLE document_sources (
    tenant TEXT   NOT NULL,
    name   TEXT   NOT NULL,
    trust  TEXT   NOT NULL,
    PRIMARY KEY (tenant, name)
);

CREATE TABLE documents (
    id              TEXT   NOT NULL PRIMARY KEY,
    tenant          TEXT   NOT NULL,
    source          TEXT   NOT NULL,
    sha256          TEXT   NOT NULL,
    text            TEXT   NOT NULL,
    vector          TEXT   NOT NULL,
    injection_score TEXT   NOT NULL,
    quarantine      TEXT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX documents_tenant ON documents (tenant, source);
