#!/usr/bin/env bash
# Runs S3Proxy with AWS v2/v4 signatures on port 8080, data under /data.
# Settings (environment):
#   S3PROXY_IDENTITY, S3PROXY_CREDENTIAL   the access key and secret key clients must sign with (required)
#   S3PROXY_BUCKETS                        buckets to create at start, comma-separated (optional)
set -euo pipefail
# jclouds' filesystem store serves a bucket or object to anonymous clients when its directory or
# file is readable by others: nothing it creates may be.
umask 027
for v in S3PROXY_IDENTITY S3PROXY_CREDENTIAL; do
  if [ -z "${!v:-}" ]; then echo "s3proxy: $v is not set: the access key and secret key are required" >&2; exit 2; fi
done
IFS=',' read -ra buckets <<< "${S3PROXY_BUCKETS:-}"
for b in "${buckets[@]}"; do [ -z "$b" ] || mkdir -p "/data/$b"; done
conf=$(mktemp)
cat > "$conf" <<PROPS
s3proxy.endpoint=http://0.0.0.0:8080
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3PROXY_IDENTITY
s3proxy.credential=$S3PROXY_CREDENTIAL
jclouds.provider=filesystem
jclouds.filesystem.basedir=/data
jclouds.identity=local
jclouds.credential=local
PROPS
exec java ${JAVA_OPTS:--Xms32m -Xmx384m} -jar /opt/s3proxy/s3proxy.jar --properties "$conf"
