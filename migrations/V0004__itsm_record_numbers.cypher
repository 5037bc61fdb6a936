// Human-readable record numbers (INC0001001, PRB..., CHG..., REL...) are unique and never
// reused; ids are unique too. A Sequence node per record type hands out the numbers.
CREATE CONSTRAINT incident_number_unique IF NOT EXISTS FOR (r:Incident) REQUIRE r.number IS UNIQUE;
CREATE CONSTRAINT problem_number_unique IF NOT EXISTS FOR (r:Problem) REQUIRE r.number IS UNIQUE;
CREATE CONSTRAINT change_number_unique IF NOT EXISTS FOR (r:Change) REQUIRE r.number IS UNIQUE;
CREATE CONSTRAINT release_number_unique IF NOT EXISTS FOR (r:Release) REQUIRE r.number IS UNIQUE;
CREATE CONSTRAINT incident_id_unique IF NOT EXISTS FOR (r:Incident) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT problem_id_unique IF NOT EXISTS FOR (r:Problem) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT change_id_unique IF NOT EXISTS FOR (r:Change) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT release_id_unique IF NOT EXISTS FOR (r:Release) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT sequence_name_unique IF NOT EXISTS FOR (s:Sequence) REQUIRE s.name IS UNIQUE;
