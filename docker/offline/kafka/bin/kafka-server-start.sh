#!/usr/bin/env bash
# Starts the broker with the given server.properties, logging to stdout.
set -euo pipefail
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}"
export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlogback.configurationFile=/opt/kafka/config/logback.xml}"
exec /opt/kafka/bin/kafka-run-class.sh kafka.Kafka "$@"
