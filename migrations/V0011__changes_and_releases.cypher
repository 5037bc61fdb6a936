// Changes (RFCs) and releases: what the change schedule, the conflict checks and the lists
// filter and order by.
CREATE INDEX change_state IF NOT EXISTS FOR (c:Change) ON (c.state);
CREATE INDEX change_planned_start IF NOT EXISTS FOR (c:Change) ON (c.plannedStart);
CREATE INDEX change_planned_end IF NOT EXISTS FOR (c:Change) ON (c.plannedEnd);
CREATE INDEX change_assignee IF NOT EXISTS FOR (c:Change) ON (c.assignee);
CREATE INDEX change_actual_end IF NOT EXISTS FOR (c:Change) ON (c.actualEnd);
CREATE INDEX release_state IF NOT EXISTS FOR (r:Release) ON (r.state);
// Freeze (blackout) windows and the maintenance windows of CIs, each by a unique id.
CREATE CONSTRAINT blackout_window_id_unique IF NOT EXISTS
FOR (w:BlackoutWindow) REQUIRE w.id IS UNIQUE;
CREATE INDEX blackout_window_start IF NOT EXISTS FOR (w:BlackoutWindow) ON (w.start);
CREATE CONSTRAINT maintenance_window_id_unique IF NOT EXISTS
FOR (w:MaintenanceWindow) REQUIRE w.id IS UNIQUE;
