// mlcost's schema as forward-only migrations. Never edit a released migration: add a new one.
//
// Conventions: times are TIMESTAMP (UTC, microseconds); MLflow's client-supplied metric timestamps
// stay BIGINT milliseconds because MLflow accepts any non-negative int64 there. Money is
// DECIMAL(38,12). Tags and params, which the single writer deletes and re-inserts, carry no
// index: DuckDB checks unique indexes eagerly inside a transaction, and the writer groups many
// requests into one transaction (see tracking/write_batcher.h). latest_metrics is only ever
// upserted (once per key per transaction), so its primary key makes that upsert a point lookup.
// Metric points carry a series id instead of (run_id, key) strings: appending four numbers is
// several times cheaper for DuckDB than two strings per point; the `metrics` view joins them back.
#include "store/migrations.h"

namespace mlcost::store {

const std::vector<Migration>& SchemaMigrations() {
  static const std::vector<Migration>* migrations = new std::vector<Migration>{
      {1, "tracking: experiments, runs, attempts, params, tags, metrics",
       R"sql(
CREATE SEQUENCE experiment_id_seq START 1;
CREATE TABLE experiments (
  experiment_id     BIGINT PRIMARY KEY,
  name              VARCHAR NOT NULL,
  artifact_location VARCHAR NOT NULL,
  lifecycle_stage   VARCHAR NOT NULL,
  creation_time     TIMESTAMP NOT NULL,
  last_update_time  TIMESTAMP NOT NULL
);
CREATE TABLE experiment_tags (
  experiment_id BIGINT NOT NULL,
  key           VARCHAR NOT NULL,
  value         VARCHAR NOT NULL
);
CREATE TABLE runs (
  run_id          VARCHAR PRIMARY KEY,
  experiment_id   BIGINT NOT NULL,
  run_name        VARCHAR NOT NULL,
  user_id         VARCHAR NOT NULL,
  status          VARCHAR NOT NULL,
  start_time      TIMESTAMP,
  end_time        TIMESTAMP,
  artifact_uri    VARCHAR NOT NULL,
  lifecycle_stage VARCHAR NOT NULL,
  deleted_time    TIMESTAMP
);
CREATE TABLE run_attempts (
  run_id     VARCHAR NOT NULL,
  attempt    INTEGER NOT NULL,
  start_time TIMESTAMP NOT NULL,
  end_time   TIMESTAMP,
  end_cause  VARCHAR
);
CREATE TABLE params (
  run_id VARCHAR NOT NULL,
  key    VARCHAR NOT NULL,
  value  VARCHAR NOT NULL
);
CREATE TABLE tags (
  run_id VARCHAR NOT NULL,
  key    VARCHAR NOT NULL,
  value  VARCHAR NOT NULL
);
CREATE SEQUENCE metric_series_seq START 1;
CREATE TABLE metric_series (
  series_id BIGINT PRIMARY KEY,
  run_id    VARCHAR NOT NULL,
  key       VARCHAR NOT NULL,
  UNIQUE (run_id, key)
);
CREATE TABLE metric_points (
  series_id    BIGINT NOT NULL,
  value        DOUBLE NOT NULL,
  timestamp_ms BIGINT NOT NULL,
  step         BIGINT NOT NULL
);
CREATE VIEW metrics AS
  SELECT s.run_id, s.key, p.value, p.timestamp_ms, p.step
  FROM metric_points p JOIN metric_series s USING (series_id);
CREATE TABLE latest_metrics (
  run_id       VARCHAR NOT NULL,
  key          VARCHAR NOT NULL,
  value        DOUBLE NOT NULL,
  timestamp_ms BIGINT NOT NULL,
  step         BIGINT NOT NULL,
  PRIMARY KEY (run_id, key)
);
)sql"},
      {2, "organisation: teams, users, projects",
       R"sql(
CREATE TABLE teams (
  name          VARCHAR PRIMARY KEY,
  description   VARCHAR NOT NULL DEFAULT '',
  creation_time TIMESTAMP NOT NULL
);
CREATE TABLE users (
  name          VARCHAR PRIMARY KEY,
  team          VARCHAR,
  email         VARCHAR NOT NULL DEFAULT '',
  creation_time TIMESTAMP NOT NULL
);
CREATE TABLE projects (
  name          VARCHAR PRIMARY KEY,
  team          VARCHAR,
  description   VARCHAR NOT NULL DEFAULT '',
  creation_time TIMESTAMP NOT NULL
);
)sql"},
      {3, "billing: the FOCUS cost table, ingests, contract commitments",
       R"sql(
CREATE SEQUENCE ingest_id_seq START 1;
CREATE TABLE ingests (
  ingest_id   BIGINT PRIMARY KEY,
  started_at  TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  report      VARCHAR NOT NULL
);
CREATE TABLE costs (
  availability_zone                      VARCHAR,
  billed_cost                            DECIMAL(38,12),
  billing_account_id                     VARCHAR,
  billing_account_name                   VARCHAR,
  billing_account_type                   VARCHAR,
  billing_currency                       VARCHAR,
  billing_period_end                     TIMESTAMP,
  billing_period_start                   TIMESTAMP,
  capacity_reservation_id                VARCHAR,
  capacity_reservation_status            VARCHAR,
  charge_category                        VARCHAR,
  charge_class                           VARCHAR,
  charge_description                     VARCHAR,
  charge_frequency                       VARCHAR,
  charge_period_end                      TIMESTAMP,
  charge_period_start                    TIMESTAMP,
  commitment_discount_category           VARCHAR,
  commitment_discount_id                 VARCHAR,
  commitment_discount_name               VARCHAR,
  commitment_discount_quantity           DECIMAL(38,12),
  commitment_discount_status             VARCHAR,
  commitment_discount_type               VARCHAR,
  commitment_discount_unit               VARCHAR,
  consumed_quantity                      DECIMAL(38,12),
  consumed_unit                          VARCHAR,
  contracted_cost                        DECIMAL(38,12),
  contracted_unit_price                  DECIMAL(38,12),
  effective_cost                         DECIMAL(38,12),
  invoice_id                             VARCHAR,
  invoice_issuer_name                    VARCHAR,
  list_cost                              DECIMAL(38,12),
  list_unit_price                        DECIMAL(38,12),
  pricing_category                       VARCHAR,
  pricing_currency                       VARCHAR,
  pricing_currency_contracted_unit_price DECIMAL(38,12),
  pricing_currency_effective_cost        DECIMAL(38,12),
  pricing_currency_list_unit_price       DECIMAL(38,12),
  pricing_quantity                       DECIMAL(38,12),
  pricing_unit                           VARCHAR,
  provider_name                          VARCHAR,
  publisher_name                         VARCHAR,
  region_id                              VARCHAR,
  region_name                            VARCHAR,
  resource_id                            VARCHAR,
  resource_name                          VARCHAR,
  resource_type                          VARCHAR,
  service_category                       VARCHAR,
  service_name                           VARCHAR,
  service_subcategory                    VARCHAR,
  sku_id                                 VARCHAR,
  sku_meter                              VARCHAR,
  sku_price_details                      VARCHAR,
  sku_price_id                           VARCHAR,
  sub_account_id                         VARCHAR,
  sub_account_name                       VARCHAR,
  sub_account_type                       VARCHAR,
  tags                                   MAP(VARCHAR, VARCHAR),
  x_source_format                        VARCHAR NOT NULL,
  x_source_file                          VARCHAR NOT NULL,
  x_source_line                          BIGINT NOT NULL,
  x_ingest_id                            BIGINT NOT NULL,
  x_repaired                             VARCHAR
);
CREATE TABLE contract_commitments (
  contract_commitment_id          VARCHAR,
  contract_commitment_type        VARCHAR,
  contract_commitment_category    VARCHAR,
  contract_commitment_cost        DECIMAL(38,12),
  contract_commitment_quantity    DECIMAL(38,12),
  contract_commitment_unit        VARCHAR,
  contract_commitment_description VARCHAR,
  contract_commitment_period_start TIMESTAMP,
  contract_commitment_period_end  TIMESTAMP,
  contract_id                     VARCHAR,
  contract_period_start           TIMESTAMP,
  contract_period_end             TIMESTAMP,
  billing_currency                VARCHAR,
  x_source_file                   VARCHAR NOT NULL,
  x_source_line                   BIGINT NOT NULL,
  x_ingest_id                     BIGINT NOT NULL
);
)sql"},
      {4, "explorer: allocation rules, daily cost rollup per allocation dimension",
       R"sql(
CREATE SEQUENCE allocation_rule_id_seq START 1;
CREATE TABLE allocation_rules (
  rule_id     BIGINT PRIMARY KEY,
  position    BIGINT NOT NULL,
  dimension   VARCHAR NOT NULL,
  match_kind  VARCHAR NOT NULL,
  match_key   VARCHAR NOT NULL DEFAULT '',
  match_value VARCHAR NOT NULL DEFAULT '',
  target      VARCHAR NOT NULL DEFAULT '',
  created_at  TIMESTAMP NOT NULL
);
CREATE TABLE cost_rollup_daily (
  dimension        VARCHAR NOT NULL,
  value            VARCHAR NOT NULL,
  day              TIMESTAMP,
  billing_currency VARCHAR,
  billed_cost      DECIMAL(38,12),
  effective_cost   DECIMAL(38,12),
  list_cost        DECIMAL(38,12),
  contracted_cost  DECIMAL(38,12),
  lines            BIGINT NOT NULL
);
)sql"},
      {5, "sql console: analyst views of runs and metrics, saved queries",
       R"sql(
CREATE VIEW run_summary AS
WITH run_tags AS (
  SELECT run_id,
         max(value) FILTER (WHERE key = 'mlcost.instance_type') AS instance_type,
         max(value) FILTER (WHERE key = 'mlcost.provider')      AS provider,
         max(value) FILTER (WHERE key = 'mlcost.region')        AS region,
         max(value) FILTER (WHERE key = 'mlcost.pricing')       AS pricing,
         max(value) FILTER (WHERE key = 'mlcost.accelerator')   AS accelerator,
         max(value) FILTER (WHERE key = 'mlcost.gpu_count')     AS gpu_count,
         max(value) FILTER (WHERE key = 'mlcost.team')          AS team,
         max(value) FILTER (WHERE key = 'mlcost.project')       AS project
  FROM tags WHERE key LIKE 'mlcost.%' GROUP BY run_id
), run_attempt_totals AS (
  SELECT run_id,
         count(*) AS attempts,
         count(*) FILTER (WHERE end_cause IS NOT NULL AND end_cause <> 'finished') AS failed_attempts,
         sum(epoch_us(end_time) - epoch_us(start_time)) FILTER (WHERE end_time IS NOT NULL) AS attempt_us
  FROM run_attempts GROUP BY run_id
)
SELECT r.run_id,
       r.experiment_id,
       e.name AS experiment,
       r.run_name AS name,
       r.user_id AS "user",
       r.status,
       r.start_time,
       r.end_time,
       CAST(epoch_us(r.end_time) - epoch_us(r.start_time) AS DOUBLE) / 1e6 AS duration_seconds,
       coalesce(a.attempts, 0) AS attempts,
       coalesce(a.failed_attempts, 0) AS failed_attempts,
       CAST(coalesce(a.attempt_us, 0) AS DOUBLE) / 1e6 AS attempt_seconds,
       t.instance_type,
       t.provider,
       t.region,
       t.pricing,
       t.accelerator,
       TRY_CAST(t.gpu_count AS INTEGER) AS gpu_count,
       coalesce(TRY_CAST(t.gpu_count AS INTEGER), 0) * CAST(coalesce(a.attempt_us, 0) AS DOUBLE) / 3.6e9
         AS gpu_hours,
       t.team,
       t.project
FROM runs r
JOIN experiments e USING (experiment_id)
LEFT JOIN run_tags t USING (run_id)
LEFT JOIN run_attempt_totals a USING (run_id)
WHERE r.lifecycle_stage = 'active';

CREATE VIEW run_metrics AS
SELECT m.run_id, r.experiment_id, r.run_name, m.key, m.value, m.step,
       m.timestamp_ms, make_timestamp(m.timestamp_ms * 1000) AS "timestamp"
FROM latest_metrics m JOIN runs r USING (run_id)
WHERE r.lifecycle_stage = 'active';

CREATE VIEW metric_history AS
SELECT m.run_id, r.experiment_id, r.run_name, m.key, m.value, m.step,
       m.timestamp_ms, make_timestamp(m.timestamp_ms * 1000) AS "timestamp"
FROM metrics m JOIN runs r USING (run_id)
WHERE r.lifecycle_stage = 'active';

CREATE TABLE saved_queries (
  name             VARCHAR PRIMARY KEY,
  sql              VARCHAR NOT NULL,
  format           VARCHAR NOT NULL,
  output_dir       VARCHAR NOT NULL,
  interval_seconds BIGINT,
  created_at       TIMESTAMP NOT NULL,
  next_run_at      TIMESTAMP,
  last_run_at      TIMESTAMP,
  last_status      VARCHAR,
  last_row_count   BIGINT,
  last_error       VARCHAR,
  last_output      VARCHAR
);
)sql"},
      {6, "quotas: budgets and quotas per user, team, project, org; alert dedup; audit",
       R"sql(
CREATE SEQUENCE quota_id_seq START 1;
CREATE TABLE quotas (
  quota_id       BIGINT PRIMARY KEY,
  scope          VARCHAR NOT NULL,
  scope_name     VARCHAR NOT NULL,
  period         VARCHAR NOT NULL,
  unit           VARCHAR NOT NULL,
  limit_value    DECIMAL(38,12) NOT NULL,
  currency       VARCHAR,
  actions        VARCHAR NOT NULL,
  webhook_url    VARCHAR,
  thresholds     VARCHAR NOT NULL,
  forecast_alert BOOLEAN NOT NULL,
  created_at     TIMESTAMP NOT NULL,
  updated_at     TIMESTAMP NOT NULL
);
CREATE TABLE quota_alerts (
  quota_id     BIGINT NOT NULL,
  period_start TIMESTAMP NOT NULL,
  alert        VARCHAR NOT NULL,
  sent_at      TIMESTAMP NOT NULL,
  PRIMARY KEY (quota_id, period_start, alert)
);
CREATE SEQUENCE quota_audit_id_seq START 1;
CREATE TABLE quota_audit (
  audit_id    BIGINT PRIMARY KEY,
  event_time  TIMESTAMP NOT NULL,
  quota_id    BIGINT,
  action      VARCHAR NOT NULL,
  run_id      VARCHAR,
  detail      VARCHAR NOT NULL,
  use_value   DECIMAL(38,12),
  limit_value DECIMAL(38,12),
  unit        VARCHAR
);
)sql"},
  };
  return *migrations;
}

}  // namespace mlcost::store
