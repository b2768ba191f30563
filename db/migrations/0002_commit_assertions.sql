-- Lets the one-statement commit refuse itself: when a check fails the statement raises, the transaction
-- aborts and the COMMIT pipelined after it becomes a ROLLBACK. SQLSTATE TB409 maps to a 409 conflict.
CREATE FUNCTION tongban_assert(ok boolean, message text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF NOT ok THEN
    RAISE EXCEPTION '%', message USING ERRCODE = 'TB409';
  END IF;
  RETURN true;
END;
$$;
