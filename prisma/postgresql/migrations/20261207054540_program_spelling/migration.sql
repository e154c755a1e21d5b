-- The dashboard's stored period figures name their report "program" (was "programme"):
-- drop the old parts so the dashboard rebuilds them instead of reading a field that is gone.
DELETE FROM "AnalyticsSnapshot" WHERE "key" LIKE 'period:%';
