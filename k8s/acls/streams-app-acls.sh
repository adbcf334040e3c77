#!/bin/bash
# Least-privilege ACLs for the streams scoring app (see README.md in this folder for the reasoning).
# Environment: BOOTSTRAP_SERVERS (required), COMMAND_CONFIG (admin client properties, required on a secured
# cluster), PRINCIPAL (default User:quest-streams-app), APPLICATION_ID (default quest-stream-scoring),
# KAFKA_BIN (default /opt/kafka/bin).
set -euo pipefail

: "${BOOTSTRAP_SERVERS:?BOOTSTRAP_SERVERS must name the cluster}"
PRINCIPAL="${PRINCIPAL:-User:quest-streams-app}"
APPLICATION_ID="${APPLICATION_ID:-quest-stream-scoring}"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"

acls=("$KAFKA_BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP_SERVERS")
if [[ -n "${COMMAND_CONFIG:-}" ]]; then
  acls+=(--command-config "$COMMAND_CONFIG")
fi

# The live analytics read the app's own outputs and the preferences.
for topic in chat-turns character-cards reward-weights moderation-policies turn-scores moderation-events turn-preferences turn-selections; do
  "${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation Read --topic "$topic"
done
for topic in turn-scores moderation-events turn-embeddings scoring-dlq leaderboards policy-ratings drift-alerts turn-preferences turn-scores-shadow; do
  "${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation Write --topic "$topic"
done
# The dead-letter topic's max.message.bytes, read at start so that dead letters are cut to fit it.
"${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation DescribeConfigs --topic scoring-dlq
"${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation All \
  --resource-pattern-type prefixed --topic "$APPLICATION_ID-"
"${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation Read --group "$APPLICATION_ID"
# The analytics run as a second Streams application, "<application id>-analytics": its internal topics and
# transactional ids share the prefixes above, its consumer group is its own.
"${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation Read --group "$APPLICATION_ID-analytics"
"${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation Write --operation Describe \
  --resource-pattern-type prefixed --transactional-id "$APPLICATION_ID-"
