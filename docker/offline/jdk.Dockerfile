# Stand-in for eclipse-temurin:17-jdk: the JRE stand-in plus Debian's OpenJDK 17 development kit.
ARG JRE_IMAGE=eclipse-temurin:17-jre
FROM ${JRE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
CMD ["jshell"]
