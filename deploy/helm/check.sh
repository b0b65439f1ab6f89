#!/usr/bin/env bash
# Checks the Helm chart: helm lint, then helm template with typical
# production values and with settings the chart must refuse. No cluster is
# needed. HELM names the helm binary (make helm-check builds a pinned one).
#
#   HELM=bin/helm-v3.22.0 deploy/helm/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
HELM=${HELM:-helm}
chart=deploy/helm/pastel
prod=$chart/ci/production-values.yaml
# The oldest Kubernetes the chart supports (Chart.yaml kubeVersion); a helm
# built with go install does not know its own default.
kube=1.30.0
tmpl=("$HELM" template pastel "$chart" --kube-version "$kube")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The least a release needs: its origin and database, S3 for three replicas.
minimal=(--set config.baseURL=https://paste.example.org
	--set secrets.database.existingSecret=pastel-db
	--set config.s3.endpoint=minio.minio.svc:9000
	--set secrets.s3.existingSecret=pastel-s3)

fail() { echo "helm-check: $*" >&2; exit 1; }

# must_have FILE PATTERN…: every extended regexp matches a line of FILE.
must_have() {
	local f=$1; shift
	for p in "$@"; do
		grep -Eq -- "$p" "$f" || fail "$(basename "$f"): expected a line matching: $p"
	done
}

# must_refuse NAME MESSAGE ARGS…: rendering fails, saying MESSAGE.
must_refuse() {
	local name=$1 msg=$2; shift 2
	if "${tmpl[@]}" "$@" >"$out/$name.yaml" 2>"$out/$name.err"; then
		fail "$name: rendered, but the chart must refuse it"
	fi
	grep -qF -- "$msg" "$out/$name.err" || { cat "$out/$name.err" >&2; fail "$name: refused without saying: $msg"; }
	echo "helm-check: $name refused: $msg"
}

"$HELM" version --short
"$HELM" lint --strict --kube-version "$kube" "$chart" -f "$prod"
"$HELM" lint --strict --kube-version "$kube" "$chart" "${minimal[@]}"

# Typical production values: every object, hardened, probed, spread.
"${tmpl[@]}" -f "$prod" >"$out/prod.yaml"
must_have "$out/prod.yaml" \
	'^kind: Deployment$' '^kind: Service$' '^kind: Ingress$' '^kind: PodDisruptionBudget$' \
	'^kind: HorizontalPodAutoscaler$' '^kind: ServiceMonitor$' '^kind: ServiceAccount$' \
	'path: /readyz' 'path: /healthz' 'runAsNonRoot: true' 'readOnlyRootFilesystem: true' \
	'- ALL' 'maxUnavailable: 0' 'topologyKey: kubernetes.io/hostname' \
	'terminationGracePeriodSeconds: 60' 'name: METRICS_ADDR' 'containerPort: 9090' \
	'name: S3_ENDPOINT' 'name: TYPESENSE_API_KEY' 'name: pastel-keys' 'name: TRUSTED_PROXIES'
grep -q '^kind: PersistentVolumeClaim$' "$out/prod.yaml" && fail "prod: a PersistentVolumeClaim with S3"
# The HPA owns the replica count.
grep -q '^  replicas:' "$out/prod.yaml" && fail "prod: Deployment sets replicas while the HPA is on"
# No secret value is ever rendered from values: only references by name.
grep -q '^kind: Secret$' "$out/prod.yaml" && fail "prod: a Secret rendered although every secret is an existing one"
echo "helm-check: production values render"

# Minimal values: three replicas, and the keys Secret made by the chart.
"${tmpl[@]}" "${minimal[@]}" >"$out/minimal.yaml"
must_have "$out/minimal.yaml" '^  replicas: 3$' '^kind: Secret$' 'name: pastel-keys' \
	'helm.sh/resource-policy: keep' '^  SESSION_KEY: ' '^  JWT_SECRET: '
grep -q '^kind: Ingress$' "$out/minimal.yaml" && fail "minimal: an Ingress although ingress.enabled is false"
grep -q '^kind: ServiceMonitor$' "$out/minimal.yaml" && fail "minimal: a ServiceMonitor by default"
echo "helm-check: minimal values render"

# One replica without S3: blobs on a PersistentVolume, Recreate rollouts.
"${tmpl[@]}" --set config.baseURL=https://paste.example.org \
	--set secrets.database.existingSecret=pastel-db --set replicaCount=1 \
	--set persistence.enabled=true >"$out/single.yaml"
must_have "$out/single.yaml" '^kind: PersistentVolumeClaim$' 'type: Recreate' '^  replicas: 1$'
grep -q 'name: S3_ENDPOINT' "$out/single.yaml" && fail "single: S3 set without config.s3.endpoint"
echo "helm-check: one replica on a volume renders"

# What the chart must refuse.
s3msg="more than one replica needs S3 blob storage"
must_refuse no-s3-replicas "$s3msg" --set config.baseURL=https://paste.example.org \
	--set secrets.database.existingSecret=pastel-db --set replicaCount=3
must_refuse no-s3-hpa "$s3msg" --set config.baseURL=https://paste.example.org \
	--set secrets.database.existingSecret=pastel-db --set replicaCount=1 --set autoscaling.enabled=true
must_refuse no-s3-ephemeral "without S3 (config.s3.endpoint) pastes would be written to the pod's emptyDir" \
	--set config.baseURL=https://paste.example.org --set secrets.database.existingSecret=pastel-db --set replicaCount=1
must_refuse no-s3-keys "secrets.s3.existingSecret is required" --set config.baseURL=https://paste.example.org \
	--set secrets.database.existingSecret=pastel-db --set config.s3.endpoint=minio:9000
must_refuse no-base-url "config.baseURL is required" --set secrets.database.existingSecret=pastel-db \
	--set config.s3.endpoint=minio:9000 --set secrets.s3.existingSecret=pastel-s3
must_refuse no-database "secrets.database.existingSecret is required" --set config.baseURL=https://paste.example.org \
	--set config.s3.endpoint=minio:9000 --set secrets.s3.existingSecret=pastel-s3
must_refuse s3-scheme "/config/s3/endpoint" "${minimal[@]}" \
	--set config.s3.endpoint=https://minio:9000
must_refuse typesense-key "secrets.typesense.existingSecret is required" "${minimal[@]}" \
	--set config.typesense.url=http://typesense:8108
must_refuse schema-replicas "replicaCount" "${minimal[@]}" --set replicaCount=0
echo "helm-check: ok"
