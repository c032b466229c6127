-- Roots of complete 1024-leaf Merkle subtrees (leaves [i*1024, (i+1)*1024) of the audit log), written as
-- checkpoints are signed, so that an inclusion proof reads one block of leaves and these roots, not the whole log.
CREATE TABLE merkle_blocks (
    block_index BIGINT NOT NULL PRIMARY KEY,
    root        TEXT   NOT NULL
);
