-- A sketch of the three-letter runs of each row's target, headers and body (store::tail_sketch),
-- set at capture: searching rows the full-text index has not reached yet reads these 128 bytes
-- to rule a row out instead of its whole body. Rows stored before this migration keep NULL and
-- are read in full, as before.
ALTER TABLE requests ADD COLUMN tail_sketch BLOB;
