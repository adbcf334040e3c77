# Streams scoring app on NVIDIA GPUs. From the repository root, build the jars, then the image (the build needs
# network access to DJL's download site):
#   ./mvnw -B -DskipTests -pl streams-app,trainer -am package dependency:copy-dependencies -DincludeScope=runtime
#   docker build -f docker/streams-app-cuda.Dockerfile -t quest-stream/streams-app:cuda .
#
# DJL 0.36's PyTorch engine is paired with libtorch 2.7.1, whose CUDA build is not on Maven Central: DJL downloads
# it from its own distribution site. That happens here, once, at image build time; the image then runs with
# DJL_OFFLINE=true and never reaches the network. See docker/README.md for the trade-off.

ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-runtime-ubuntu24.04

FROM ${JDK_IMAGE} AS libtorch
COPY streams-app/target/dependency/ /out/lib/
COPY streams-app/target/streams-app-*.jar /out/lib/
COPY docker/cuda/PrefetchLibtorch.java /src/PrefetchLibtorch.java
RUN rm /out/lib/pytorch-native-cpu-*.jar
# With the CPU libtorch jar gone, DJL resolves libtorch by flavor; cu128 is the CUDA build DJL 0.36 publishes.
ENV PYTORCH_FLAVOR=cu128 \
    ENGINE_CACHE_DIR=/opt/djl-cache \
    DJL_CACHE_DIR=/opt/djl-cache
RUN java -cp "/out/lib/*" /src/PrefetchLibtorch.java

FROM ${JRE_IMAGE} AS jre

FROM ${CUDA_IMAGE}
ARG MAIN_CLASS=io.queststream.streams.cli.StreamsAppCommand
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 quest \
 && useradd --system --uid 10001 --gid quest --home-dir /var/lib/quest --shell /usr/sbin/nologin quest \
 && mkdir -p /var/lib/quest/state \
 && chown -R quest:quest /var/lib/quest
COPY --from=libtorch /out/lib/ /opt/quest/lib/
# DJL also unpacks the tokenizers library into its cache at start, so the cache belongs to the app user.
COPY --from=libtorch --chown=quest:quest /opt/djl-cache/ /opt/djl-cache/
COPY docker/bin/launch /opt/quest/bin/launch
COPY streams-app/jvm.options /opt/quest/jvm.options
# RUST_FLAVOR=cpu: the tokenizers library would otherwise look for a CUDA build of itself on a GPU host.
ENV APP_MAIN_CLASS=${MAIN_CLASS} \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    DJL_OFFLINE=true \
    RUST_FLAVOR=cpu \
    PYTORCH_FLAVOR=cu128 \
    ENGINE_CACHE_DIR=/opt/djl-cache \
    DJL_CACHE_DIR=/opt/djl-cache \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    QUEST_STATE_DIR=/var/lib/quest/state \
    QUEST_HTTP_HOST=0.0.0.0 \
    QUEST_HTTP_PORT=8088 \
    QUEST_MODEL_DEVICE=gpu:0
USER quest:quest
WORKDIR /var/lib/quest
VOLUME ["/var/lib/quest/state"]
EXPOSE 8088
HEALTHCHECK --interval=15s --timeout=3s --start-period=300s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${QUEST_HTTP_PORT}/health/ready" || exit 1
ENTRYPOINT ["/opt/quest/bin/launch"]
CMD ["run"]
