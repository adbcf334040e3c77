# Stand-in for eclipse-temurin:17-jre: Debian's OpenJDK 17 runtime, with the image's JAVA_HOME layout and a UTF-8
# locale (Java 17 takes its default charset from the locale).
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && mkdir -p /opt/java \
 && ln -s "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    LANG=C.UTF-8
