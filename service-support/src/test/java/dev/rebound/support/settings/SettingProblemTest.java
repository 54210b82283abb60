package dev.rebound.support.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SettingProblemTest {

  @Test
  void environmentVariableFollowsMicroProfileConfigsRule() {
    assertEquals("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID",
        SettingProblem.envVar("quarkus.s3.aws.credentials.static-provider.access-key-id"));
    assertEquals("REBOUND_ITEM_RESTORER_CLUSTERS_EU_1_KUBECONFIG",
        SettingProblem.envVar("rebound.item-restorer.clusters.eu-1.kubeconfig"));
    assertEquals("KAFKA_BOOTSTRAP_SERVERS", new SettingProblem("kafka.bootstrap.servers", "x").envVar());
  }

  @Test
  void messageNamesPropertyThenVariableThenProblem() {
    assertEquals("rebound.storage.bucket (REBOUND_STORAGE_BUCKET): bucket \"b\" does not exist",
        new SettingProblem("rebound.storage.bucket", "bucket \"b\" does not exist").toString());
  }
}
