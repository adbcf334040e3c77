#!/usr/bin/env bash
# Runs a class from /opt/kafka/libs with the JVM options Kafka's scripts read from the environment.
set -euo pipefail
exec java ${KAFKA_HEAP_OPTS:-} ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20} \
  ${KAFKA_GC_LOG_OPTS:-} ${KAFKA_JMX_OPTS:-} \
  ${KAFKA_LOG4J_OPTS:--Dlogback.configurationFile=/opt/kafka/config/tools-logback.xml} ${KAFKA_OPTS:-} \
  -cp "/opt/kafka/libs/*" "$@"
