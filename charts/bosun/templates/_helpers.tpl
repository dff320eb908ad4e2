{{/* Labels of the agent's workload objects; the selector is the first two. */}}
{{- define "bosun.selectorLabels" -}}
app.kubernetes.io/name: bosun
app.kubernetes.io/component: agent
{{- end }}

{{- define "bosun.labels" -}}
{{ include "bosun.selectorLabels" . }}
app.kubernetes.io/part-of: bosun
{{- end }}

{{/* Cluster-scoped names carry the namespace, so two installs in two namespaces do not share a role. */}}
{{- define "bosun.agentName" -}}
{{ .Release.Namespace }}-agent
{{- end }}

{{- define "bosun.deployerName" -}}
{{ .Release.Namespace }}-deployer
{{- end }}

{{- define "bosun.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default (printf "v%s" .Chart.AppVersion) }}
{{- end }}
