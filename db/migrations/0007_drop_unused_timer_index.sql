-- Never scanned (pg_stat_user_indexes after the commands benchmark): commands cancel timers within their case,
-- through timers_pending_case_idx. One index less to maintain per timer written.
DROP INDEX "timers_pending_task_idx";