# Stand-in for prom/prometheus from Debian's package (Debian 12 ships Prometheus 2.42; the stack's scrape config
# uses nothing newer). Only the prometheus and promtool binaries are taken from the package: its web UI pulls in
# 300 MB of JavaScript libraries that the stack never opens. Same contract as the official image: /bin/prometheus
# as entry point, data in /prometheus, user nobody, port 9090, and wget for health checks as in the official
# busybox-based image.
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wget \
 && cd /tmp \
 && apt-get download prometheus \
 && dpkg-deb -x prometheus_*.deb /tmp/prometheus \
 && install -m 755 /tmp/prometheus/usr/bin/prometheus /tmp/prometheus/usr/bin/promtool /bin/ \
 && rm -rf /tmp/prometheus /tmp/prometheus_*.deb /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && mkdir -p /prometheus /etc/prometheus \
 && chown nobody:nogroup /prometheus
USER nobody
WORKDIR /prometheus
VOLUME ["/prometheus"]
EXPOSE 9090
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
