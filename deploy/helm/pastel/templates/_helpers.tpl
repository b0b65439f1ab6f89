{{/* Names, labels and the checks every template relies on. */}}

{{- define "pastel.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name, at most 63 characters (a DNS label). */}}
{{- define "pastel.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "pastel.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pastel.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pastel.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pastel.labels" -}}
helm.sh/chart: {{ include "pastel.chart" . }}
{{ include "pastel.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: web
{{- end -}}

{{- define "pastel.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "pastel.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "pastel.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding SESSION_KEY and JWT_SECRET. */}}
{{- define "pastel.keysSecretName" -}}
{{- default (printf "%s-keys" (include "pastel.fullname" .)) .Values.secrets.keys.existingSecret -}}
{{- end -}}

{{/* Whether more than one pod may run at once. */}}
{{- define "pastel.multiReplica" -}}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) -}}true{{- end -}}
{{- end -}}

{{/*
pastel.validate fails the render on settings that would run but lose or
split data: every template includes it, so no partial release is made.
*/}}
{{- define "pastel.validate" -}}
{{- $_ := required "config.baseURL is required: the public origin, e.g. https://paste.example.org (BASE_URL)" .Values.config.baseURL -}}
{{- $_ := required "secrets.database.existingSecret is required: the name of a Secret holding DATABASE_URL (postgres://…)" .Values.secrets.database.existingSecret -}}
{{- if include "pastel.multiReplica" . -}}
{{- if not .Values.config.s3.endpoint -}}
{{- fail "more than one replica needs S3 blob storage: set config.s3.endpoint and secrets.s3.existingSecret (MinIO in distributed mode or any S3). Local DATA_DIR storage is per pod, so replicas would not see each other's pastes; for a single replica without S3 set replicaCount=1, autoscaling.enabled=false and persistence.enabled=true" -}}
{{- end -}}
{{- if .Values.persistence.enabled -}}
{{- fail "persistence.enabled is for a single replica without S3: with S3 and several replicas no pod keeps state, so turn it off" -}}
{{- end -}}
{{- end -}}
{{- if .Values.config.s3.endpoint -}}
{{- if contains "://" .Values.config.s3.endpoint -}}
{{- fail "config.s3.endpoint must be host:port without a scheme; set config.s3.useSSL for https" -}}
{{- end -}}
{{- $_ := required "secrets.s3.existingSecret is required with config.s3.endpoint: a Secret holding S3_ACCESS_KEY and S3_SECRET_KEY" .Values.secrets.s3.existingSecret -}}
{{- else if not .Values.persistence.enabled -}}
{{- fail "without S3 (config.s3.endpoint) pastes would be written to the pod's emptyDir and lost when it restarts: set config.s3.endpoint and secrets.s3.existingSecret, or, for a single replica, persistence.enabled=true" -}}
{{- end -}}
{{- if .Values.config.typesense.url -}}
{{- $_ := required "secrets.typesense.existingSecret is required with config.typesense.url: a Secret holding TYPESENSE_API_KEY" .Values.secrets.typesense.existingSecret -}}
{{- end -}}
{{- if and (eq (toString .Values.updateStrategy.maxUnavailable) "0") (eq (toString .Values.updateStrategy.maxSurge) "0") -}}
{{- fail "updateStrategy: maxUnavailable and maxSurge cannot both be 0" -}}
{{- end -}}
{{- if and .Values.podDisruptionBudget.enabled (not (kindIs "invalid" .Values.podDisruptionBudget.minAvailable)) (not (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable)) -}}
{{- fail "podDisruptionBudget: set minAvailable or maxUnavailable, not both (set the other to null)" -}}
{{- end -}}
{{- end -}}
