{{/* Release-wide name, at most 63 characters (a DNS label). */}}
{{- define "strangler.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects: (dict "root" $ "name" "search"). */}}
{{- define "strangler.componentName" -}}
{{- printf "%s-%s" (include "strangler.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "strangler.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "strangler.labels" -}}
{{ include "strangler.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/*
A component's settings: .Values.defaults overridden by what the component
sets, one level deep (so autoscaling.enabled=false or replicas=0 count, which
sprig's merge functions would drop as empty values).
*/}}
{{- define "strangler.settings" -}}
{{- $settings := deepCopy .root.Values.defaults -}}
{{- range $key, $value := (.component | default dict) -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $settings $key)) -}}
{{- $merged := deepCopy (get $settings $key) -}}
{{- range $innerKey, $innerValue := $value -}}
{{- $_ := set $merged $innerKey $innerValue -}}
{{- end -}}
{{- $_ := set $settings $key $merged -}}
{{- else -}}
{{- $_ := set $settings $key $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $settings -}}
{{- end -}}

{{- define "strangler.image" -}}
{{ printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end -}}

{{- define "strangler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ .Values.serviceAccount.name | default (include "strangler.fullname" .) }}
{{- else -}}
{{ .Values.serviceAccount.name | default "default" }}
{{- end -}}
{{- end -}}

{{- define "strangler.mongoSecretName" -}}
{{ .Values.mongodb.existingSecret | default (printf "%s-mongodb" (include "strangler.fullname" .)) }}
{{- end -}}

{{- define "strangler.adminSecretName" -}}
{{ .Values.gateway.existingSecret | default (printf "%s-gateway-admin" (include "strangler.fullname" .)) }}
{{- end -}}

{{/* The MongoDB URL: the configured one, else the bundled server's. */}}
{{- define "strangler.mongoUrl" -}}
{{- if .Values.mongodb.url -}}
{{ .Values.mongodb.url }}
{{- else if .Values.mongodb.bundled.enabled -}}
{{ printf "mongodb://%s-mongodb:27017" (include "strangler.fullname" .) }}
{{- else -}}
{{ fail "set mongodb.url (or mongodb.existingSecret), or enable mongodb.bundled" }}
{{- end -}}
{{- end -}}

{{/* Non-empty when the chart runs its own NATS: the event log needs one whatever the transport. */}}
{{- define "strangler.bundledNats" -}}
{{- if and .Values.nats.bundled.enabled (not .Values.brokers.natsUrl) -}}
true
{{- end -}}
{{- end -}}

{{- define "strangler.natsUrl" -}}
{{- if .Values.brokers.natsUrl -}}
{{ .Values.brokers.natsUrl }}
{{- else if include "strangler.bundledNats" . -}}
{{ printf "nats://%s-nats:4222" (include "strangler.fullname" .) }}
{{- else -}}
{{ fail "the event log needs NATS with JetStream: set brokers.natsUrl or enable nats.bundled" }}
{{- end -}}
{{- end -}}

{{/* Settings every Strangler process reads (SERVICE aside). */}}
{{- define "strangler.commonEnv" -}}
- name: HOST
  value: "0.0.0.0"
- name: PORT
  value: "8080"
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: MONGO_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "strangler.mongoSecretName" . }}
      key: mongo-url
- name: TRANSPORT
  value: {{ .Values.transport | quote }}
- name: NATS_URL
  value: {{ include "strangler.natsUrl" . | quote }}
- name: REDIS_URL
  value: {{ .Values.brokers.redisUrl | quote }}
- name: RABBITMQ_URL
  value: {{ .Values.brokers.rabbitmqUrl | quote }}
- name: MQTT_URL
  value: {{ .Values.brokers.mqttUrl | quote }}
{{- end -}}

{{- define "strangler.podSpecCommon" -}}
serviceAccountName: {{ include "strangler.serviceAccountName" . }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
