#include "billing/service_categories.h"

#include "common/ascii.h"
#include "billing/mapping_sql.h"

namespace mlcost::billing {

const CategoryTable& AwsServiceCategories() {
  static const CategoryTable* table = new CategoryTable{
      {"AmazonEC2", "Compute"}, {"AWSLambda", "Compute"}, {"AmazonECS", "Compute"},
      {"AmazonEKS", "Compute"}, {"AWSBatch", "Compute"}, {"AmazonLightsail", "Compute"},
      {"AmazonS3", "Storage"}, {"AmazonEFS", "Storage"}, {"AmazonFSx", "Storage"},
      {"AWSBackup", "Storage"}, {"AmazonS3GlacierDeepArchive", "Storage"}, {"AmazonGlacier", "Storage"},
      {"AmazonSageMaker", "AI and Machine Learning"}, {"AmazonBedrock", "AI and Machine Learning"},
      {"AmazonRekognition", "AI and Machine Learning"}, {"AmazonComprehend", "AI and Machine Learning"},
      {"AmazonTextract", "AI and Machine Learning"}, {"AmazonPolly", "AI and Machine Learning"},
      {"AmazonRDS", "Databases"}, {"AmazonDynamoDB", "Databases"}, {"AmazonElastiCache", "Databases"},
      {"AmazonRedshift", "Databases"}, {"AmazonDocDB", "Databases"}, {"AmazonNeptune", "Databases"},
      {"AWSGlue", "Analytics"}, {"AmazonAthena", "Analytics"}, {"AmazonEMR", "Analytics"},
      {"AmazonKinesis", "Analytics"}, {"AmazonKinesisFirehose", "Analytics"}, {"AmazonQuickSight", "Analytics"},
      {"AmazonVPC", "Networking"}, {"AmazonCloudFront", "Networking"}, {"AmazonRoute53", "Networking"},
      {"AWSDataTransfer", "Networking"}, {"AWSELB", "Networking"}, {"AmazonApiGateway", "Networking"},
      {"AWSDirectConnect", "Networking"},
      {"AmazonSNS", "Integration"}, {"AWSQueueService", "Integration"}, {"AmazonSQS", "Integration"},
      {"AWSEvents", "Integration"}, {"AmazonMQ", "Integration"}, {"AWSStepFunctions", "Integration"},
      {"AmazonCloudWatch", "Management and Governance"}, {"AWSCloudTrail", "Management and Governance"},
      {"AWSConfig", "Management and Governance"}, {"AWSCostExplorer", "Management and Governance"},
      {"AWSSystemsManager", "Management and Governance"},
      {"awskms", "Security"}, {"AWSSecretsManager", "Security"}, {"AmazonGuardDuty", "Security"},
      {"AWSShield", "Security"}, {"AWSWAF", "Security"}, {"AmazonInspector", "Security"},
      {"AmazonCognito", "Identity"}, {"AWSDirectoryService", "Identity"},
      {"AmazonECR", "Developer Tools"}, {"AWSCodeBuild", "Developer Tools"}, {"AWSCodePipeline", "Developer Tools"},
      {"AWSCodeCommit", "Developer Tools"},
  };
  return *table;
}

const CategoryTable& AzureServiceCategories() {
  static const CategoryTable* table = new CategoryTable{
      {"Virtual Machines", "Compute"}, {"Virtual Machines Licenses", "Compute"}, {"Azure App Service", "Compute"},
      {"Functions", "Compute"}, {"Container Instances", "Compute"}, {"Azure Kubernetes Service", "Compute"},
      {"Batch", "Compute"}, {"Cloud Services", "Compute"},
      {"Storage", "Storage"}, {"Backup", "Storage"}, {"Azure NetApp Files", "Storage"},
      {"Azure Machine Learning", "AI and Machine Learning"}, {"Machine Learning Studio", "AI and Machine Learning"},
      {"Cognitive Services", "AI and Machine Learning"}, {"Azure OpenAI", "AI and Machine Learning"},
      {"Foundry Models", "AI and Machine Learning"},
      {"SQL Database", "Databases"}, {"Azure Cosmos DB", "Databases"}, {"Azure Database for PostgreSQL", "Databases"},
      {"Azure Database for MySQL", "Databases"}, {"Redis Cache", "Databases"}, {"SQL Managed Instance", "Databases"},
      {"Azure Databricks", "Analytics"}, {"Azure Synapse Analytics", "Analytics"}, {"Azure Data Factory v2", "Analytics"},
      {"Azure Data Factory", "Analytics"}, {"HDInsight", "Analytics"}, {"Azure Data Explorer", "Analytics"},
      {"Bandwidth", "Networking"}, {"Virtual Network", "Networking"}, {"Load Balancer", "Networking"},
      {"Azure DNS", "Networking"}, {"VPN Gateway", "Networking"}, {"Application Gateway", "Networking"},
      {"Content Delivery Network", "Networking"}, {"Azure Front Door Service", "Networking"},
      {"Network Watcher", "Networking"}, {"Azure Firewall", "Networking"}, {"ExpressRoute", "Networking"},
      {"Log Analytics", "Management and Governance"}, {"Azure Monitor", "Management and Governance"},
      {"Insight and Analytics", "Management and Governance"}, {"Automation", "Management and Governance"},
      {"Key Vault", "Security"}, {"Microsoft Defender for Cloud", "Security"}, {"Advanced Threat Protection", "Security"},
      {"Event Hubs", "Integration"}, {"Service Bus", "Integration"}, {"Logic Apps", "Integration"},
      {"Event Grid", "Integration"},
      {"Container Registry", "Developer Tools"}, {"Azure DevOps", "Developer Tools"},
  };
  return *table;
}

const CategoryTable& GcpServiceCategories() {
  static const CategoryTable* table = new CategoryTable{
      {"Compute Engine", "Compute"}, {"Kubernetes Engine", "Compute"}, {"Cloud Run", "Compute"},
      {"Cloud Functions", "Compute"}, {"App Engine", "Compute"}, {"Batch", "Compute"},
      {"Cloud Storage", "Storage"}, {"Filestore", "Storage"}, {"Persistent Disk", "Storage"},
      {"Vertex AI", "AI and Machine Learning"}, {"AI Platform", "AI and Machine Learning"},
      {"Cloud TPU", "AI and Machine Learning"}, {"Gemini API", "AI and Machine Learning"},
      {"Cloud Vision API", "AI and Machine Learning"}, {"Cloud Natural Language API", "AI and Machine Learning"},
      {"BigQuery", "Analytics"}, {"BigQuery Storage API", "Analytics"}, {"Dataflow", "Analytics"},
      {"Dataproc", "Analytics"}, {"Pub/Sub", "Integration"}, {"Cloud Pub/Sub", "Integration"},
      {"Cloud SQL", "Databases"}, {"Cloud Spanner", "Databases"}, {"Cloud Bigtable", "Databases"},
      {"Cloud Memorystore for Redis", "Databases"}, {"Firestore", "Databases"},
      {"Networking", "Networking"}, {"Cloud DNS", "Networking"}, {"Cloud CDN", "Networking"},
      {"Cloud Load Balancing", "Networking"}, {"Network Intelligence Center", "Networking"},
      {"Cloud Logging", "Management and Governance"}, {"Cloud Monitoring", "Management and Governance"},
      {"Stackdriver Logging", "Management and Governance"}, {"Stackdriver Monitoring", "Management and Governance"},
      {"Secret Manager", "Security"}, {"Cloud Key Management Service (KMS)", "Security"},
      {"Artifact Registry", "Developer Tools"}, {"Cloud Build", "Developer Tools"},
      {"Container Registry Vulnerability Scanning", "Security"},
  };
  return *table;
}

const CategoryTable& OciServiceCategories() {
  static const CategoryTable* table = new CategoryTable{
      {"COMPUTE", "Compute"}, {"CONTAINER_ENGINE", "Compute"}, {"FUNCTIONS", "Compute"},
      {"OBJECTSTORE", "Storage"}, {"BLOCK_STORAGE", "Storage"}, {"FILE_STORAGE", "Storage"},
      {"NETWORK", "Networking"}, {"LOAD_BALANCER", "Networking"}, {"FASTCONNECT", "Networking"},
      {"DATABASE", "Databases"}, {"AUTONOMOUS_DATABASE", "Databases"}, {"MYSQL", "Databases"},
      {"DATA_SCIENCE", "AI and Machine Learning"}, {"AI_SERVICES", "AI and Machine Learning"},
      {"GENERATIVE_AI", "AI and Machine Learning"},
      {"TELEMETRY", "Management and Governance"}, {"LOGGING", "Management and Governance"},
      {"MONITORING", "Management and Governance"}, {"NOTIFICATIONS", "Integration"},
      {"KEY_MANAGEMENT", "Security"}, {"VAULT", "Security"},
  };
  return *table;
}

std::string CategoryCaseSql(const CategoryTable& table, std::string_view arg) {
  std::string sql = "CASE lower(" + std::string(arg) + ")";
  for (const auto& [service, category] : table) {
    sql += " WHEN " + QuoteLiteral(AsciiLower(service)) + " THEN " + QuoteLiteral(category);
  }
  return sql + " ELSE 'Other' END";
}

}  // namespace mlcost::billing
