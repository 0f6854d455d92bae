-- A budget reservation in one statement (ADR 027): the lock, the month's spend, the live reservations, the
-- verdict and the new reservation, instead of a transaction of six round trips that held the person's lock
-- across all of them. A function's statements each see what committed before them (read committed), so the
-- sums taken after the lock see every reservation that held it before; the lock is released when the calling
-- statement's transaction ends. Verdict: null (reserved), 'exceeded' (nothing left) or 'too_small' (the
-- prompt alone takes what is left). A null limit is no limit in that unit.
CREATE FUNCTION aistudio_reserve_budget(
  p_user uuid, p_from timestamptz, p_to timestamptz, p_now timestamptz, p_expires timestamptz,
  p_limit_tokens bigint, p_limit_cost numeric,
  p_want_tokens bigint, p_want_cost numeric, p_prompt_tokens bigint, p_prompt_cost numeric,
  OUT reservation_id uuid, OUT used_tokens bigint, OUT used_cost numeric, OUT verdict text
) LANGUAGE plpgsql AS $$
DECLARE
  left_tokens bigint;
  left_cost numeric;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('budget:' || p_user::text));
  SELECT coalesce(sum(input_tokens + output_tokens), 0), coalesce(sum(cost_usd), 0) INTO used_tokens, used_cost
    FROM token_usage WHERE user_id = p_user AND created_at >= p_from AND created_at < p_to;
  SELECT used_tokens + coalesce(sum(tokens), 0), used_cost + coalesce(sum(cost_usd), 0) INTO used_tokens, used_cost
    FROM budget_reservations WHERE user_id = p_user AND expires_at >= p_now;
  left_tokens := p_limit_tokens - used_tokens;
  left_cost := p_limit_cost - used_cost;
  IF left_tokens <= 0 OR left_cost <= 0 THEN
    verdict := 'exceeded';
  ELSIF p_prompt_tokens >= left_tokens OR (p_prompt_cost > 0 AND p_prompt_cost >= left_cost) THEN
    verdict := 'too_small';
  ELSE
    INSERT INTO budget_reservations (user_id, tokens, cost_usd, expires_at)
      VALUES (p_user, least(p_want_tokens, left_tokens), least(p_want_cost, left_cost), p_expires)
      RETURNING id INTO reservation_id;
  END IF;
END $$;
