// The service level of a business service (its availability target, support hours, SLA targets
// per priority, recovery objectives): one node per service, so that two writers of the same
// service's level MERGE one.
CREATE CONSTRAINT service_level_service_unique IF NOT EXISTS
FOR (l:ServiceLevel) REQUIRE l.serviceId IS UNIQUE;
