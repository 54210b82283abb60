#!/usr/bin/env bash
# Formats the storage once (KRaft, combined broker and controller, node 1), then runs the broker.
# Settings (environment):
#   KAFKA_ADVERTISED_LISTENERS  what clients are told to connect to
#                               (default PLAINTEXT://<hostname>:9092)
#   KAFKA_CLUSTER_ID            the cluster id at first start (default: a random one)
#   KAFKA_NUM_PARTITIONS        partitions of topics created without a count (default 4)
#   KAFKA_HEAP_OPTS             the JVM heap (default -Xms64m -Xmx512m)
set -euo pipefail
data=/var/lib/kafka/data
conf=/var/lib/kafka/server.properties
cp="/opt/kafka/libs/*"
java_opts=(${KAFKA_HEAP_OPTS:--Xms64m -Xmx512m} -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties)
cat > "$conf" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=${KAFKA_ADVERTISED_LISTENERS:-PLAINTEXT://$(hostname):9092}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data
num.partitions=${KAFKA_NUM_PARTITIONS:-4}
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
message.max.bytes=4194304
PROPS
if [ ! -f "$data/meta.properties" ]; then
  id=${KAFKA_CLUSTER_ID:-$(java -cp "$cp" kafka.tools.StorageTool random-uuid)}
  java "${java_opts[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$conf"
fi
exec java "${java_opts[@]}" -cp "$cp" kafka.Kafka "$conf"
