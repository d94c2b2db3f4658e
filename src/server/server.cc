#include "server/server.h"

#include <httplib.h>

#include <algorithm>

#include "api/mlflow_routes.h"
#include "api/router.h"
#include "api/v1_routes.h"
#include "api/v1_sql.h"
#include "common/http_listener.h"
#include "pricing/price_catalog.h"
#include "server/http_adapter.h"
#include "sqlconsole/query_exporter.h"
#include "server/pruner_index_warmer.h"
#include "server/quota_evaluator.h"
#include "sqlconsole/query_scheduler.h"
#include "sqlconsole/saved_query_store.h"
#include "sqlconsole/sql_service.h"
#include "store/data_dir_lock.h"
#include "store/database.h"
#include "tracking/artifact_store.h"
#include "tracking/tracking_service.h"

namespace mlcost::server {

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<store::DataDirLock> lock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<tracking::TrackingService> tracking;
  std::unique_ptr<pricing::PriceCatalog> prices;
  std::unique_ptr<tracking::ArtifactStore> artifacts;
  std::unique_ptr<billing::IngestService> ingests;
  std::unique_ptr<api::ApiContext> context;
  std::unique_ptr<sqlconsole::SqlService> sql;
  std::unique_ptr<sqlconsole::SavedQueryStore> queries;
  std::unique_ptr<sqlconsole::QueryExporter> exporter;
  std::unique_ptr<sqlconsole::QueryScheduler> scheduler;
  std::unique_ptr<api::SqlRouteContext> sql_context;
  std::unique_ptr<QuotaEvaluator> quotas;
  std::unique_ptr<PrunerIndexWarmer> warmer;
  api::Router router;
  HttpListener http;
};

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, const Clock& clock) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  ASSIGN_OR_RETURN(impl->lock, store::DataDirLock::Acquire(options.data_dir, options.holder + " (starting)"));

  impl->prices = std::make_unique<pricing::PriceCatalog>();
  for (const std::string& file : options.catalog_files) {
    RETURN_IF_ERROR(impl->prices->LoadSkyPilotCsv(file));
  }

  ASSIGN_OR_RETURN(impl->db, store::Database::Open(options.data_dir + "/mlcost.duckdb",
                                                      store::DatabaseOptions{options.db_threads > 0 ? options.db_threads : store::DefaultServerThreads(), ""}));
  ASSIGN_OR_RETURN(impl->tracking, tracking::TrackingService::Open(*impl->db, clock));
  impl->artifacts = std::make_unique<tracking::ArtifactStore>(options.data_dir + "/artifacts");
  impl->ingests = std::make_unique<billing::IngestService>(*impl->db, clock);
  impl->context = std::make_unique<api::ApiContext>(
      api::ApiContext{*impl->tracking, *impl->prices, clock, *impl->artifacts, *impl->db, *impl->ingests});

  api::RegisterMlflowExperimentRoutes(impl->router, *impl->context);
  api::RegisterMlflowRunRoutes(impl->router, *impl->context);
  api::RegisterMlflowArtifactRoutes(impl->router, *impl->context);
  api::RegisterV1Routes(impl->router, *impl->context);

  impl->sql = std::make_unique<sqlconsole::SqlService>(
      *impl->db, sqlconsole::SqlLimits{options.sql_timeout_ms, options.sql_max_rows});
  ASSIGN_OR_RETURN(impl->queries, sqlconsole::SavedQueryStore::Open(*impl->db));
  ASSIGN_OR_RETURN(impl->exporter,
                   sqlconsole::QueryExporter::Open(
                       *impl->sql, options.export_dir.empty() ? options.data_dir + "/exports" : options.export_dir));
  impl->scheduler = std::make_unique<sqlconsole::QueryScheduler>(*impl->queries, *impl->exporter, clock);
  impl->sql_context = std::make_unique<api::SqlRouteContext>(
      api::SqlRouteContext{*impl->sql, *impl->queries, *impl->scheduler, clock});
  api::RegisterSqlRoutes(impl->router, *impl->sql_context);
  impl->scheduler->Start();
  impl->quotas = std::make_unique<QuotaEvaluator>(*impl->context, options.quota_interval_ms);
  impl->quotas->Start();
  impl->warmer = std::make_unique<PrunerIndexWarmer>(*impl->context);
  impl->context->pruner_changed = [warmer = impl->warmer.get()](const std::string& id) { warmer->Enqueue(id); };
  impl->warmer->Start();

  // cpp-httplib 0.11 lets an idle keep-alive connection hold its worker (and so shutdown) until
  // the keep-alive timeout passes, whatever stop() says: keep it short (2 s). Busy clients never
  // idle this long.
  impl->http.Configure({options.threads > 0 ? options.threads : 128, 2,
                        std::max(options.max_body_bytes, options.max_artifact_bytes)});
  httplib::Server& http = impl->http.http();
  InstallHttpAdapter(http, impl->router, *impl->artifacts, {options.max_body_bytes, options.max_artifact_bytes},
                     options.access_log);

  RETURN_IF_ERROR(impl->http.Bind(options.host, options.port).status());
  auto server = std::unique_ptr<Server>(new Server(std::move(impl)));
  server->impl_->lock->UpdateHolder(options.holder + " on " + server->url());
  server->impl_->http.Start();
  return server;
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  impl_->http.Stop();
  impl_->http.Join();
  // Members go in reverse order: the scheduler (finishes a running export), the SQL services,
  // context, artifacts, tracking (drains the writer), db, lock.
  impl_->warmer.reset();  // waits for an experiment being indexed
  impl_->quotas.reset();
  impl_->scheduler.reset();
  impl_->sql_context.reset();
  impl_->exporter.reset();
  impl_->queries.reset();
  impl_->sql.reset();
  impl_->context.reset();
  impl_->tracking.reset();
  impl_->db.reset();
  impl_->lock.reset();
}

int Server::port() const { return impl_->http.port(); }

std::string Server::url() const {
  std::string host = impl_->options.host == "0.0.0.0" ? "127.0.0.1" : impl_->options.host;
  return "http://" + host + ":" + std::to_string(impl_->http.port());
}

void Server::Wait() { impl_->http.Wait(); }

void Server::Stop() { impl_->http.Stop(); }

}  // namespace mlcost::server
