CREATE TABLE "usage_month_totals" (
	"user_id" uuid NOT NULL,
	"month" date NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(20, 12) DEFAULT '0' NOT NULL,
	CONSTRAINT "usage_month_totals_user_id_month_pk" PRIMARY KEY("user_id","month")
);
--> statement-breakpoint
ALTER TABLE "usage_month_totals" ADD CONSTRAINT "usage_month_totals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every ledger insert adds to its person's month (once per statement, in a fixed order of rows so that two
-- statements adding to the same people cannot deadlock).
CREATE FUNCTION aistudio_add_to_month_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_month_totals AS t (user_id, month, tokens, cost_usd)
    SELECT user_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month,
      sum(input_tokens + output_tokens), sum(cost_usd)
    FROM added_rows WHERE user_id IS NOT NULL
    GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (user_id, month) DO UPDATE
    SET tokens = t.tokens + excluded.tokens, cost_usd = t.cost_usd + excluded.cost_usd;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER token_usage_month_totals AFTER INSERT ON token_usage
  REFERENCING NEW TABLE AS added_rows
  FOR EACH STATEMENT EXECUTE FUNCTION aistudio_add_to_month_totals();
--> statement-breakpoint
INSERT INTO usage_month_totals (user_id, month, tokens, cost_usd)
  SELECT user_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date,
    sum(input_tokens + output_tokens), sum(cost_usd)
  FROM token_usage WHERE user_id IS NOT NULL
  GROUP BY 1, 2;
--> statement-breakpoint
-- A budget reservation in one statement (ADR 027): the person's lock, the month's total, the live holds, the
-- verdict and the new hold, instead of a transaction of six round trips that held the lock across all of
-- them. A function's statements each see what committed before them (read committed), so what is read after
-- the lock includes every hold made under it before; the lock ends with the calling statement's transaction.
-- Verdict: null (reserved), 'exceeded' (nothing left) or 'too_small' (the prompt alone takes what is left).
-- A null limit is no limit in that unit.
-- The hold commits without waiting for its WAL flush (synchronous_commit off for this transaction only):
-- every other session sees it at once, as after any commit; a crash can lose only holds that expire anyway,
-- of calls the crash ended. Waiting for the flush under the lock made one person's calls wait for each
-- other's disk writes.
CREATE FUNCTION aistudio_reserve_budget(
  p_user uuid, p_month date, p_now timestamptz, p_expires timestamptz,
  p_limit_tokens bigint, p_limit_cost numeric,
  p_want_tokens bigint, p_want_cost numeric, p_prompt_tokens bigint, p_prompt_cost numeric,
  OUT reservation_id uuid, OUT used_tokens bigint, OUT used_cost numeric, OUT verdict text
) LANGUAGE plpgsql AS $$
DECLARE
  left_tokens bigint;
  left_cost numeric;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(hashtext('budget:' || p_user::text));
  SELECT coalesce(sum(tokens), 0), coalesce(sum(cost_usd), 0) INTO used_tokens, used_cost
    FROM usage_month_totals WHERE user_id = p_user AND month = p_month;
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
