import type { z } from 'zod'
import {
  AboutResponseSchema,
  DeviceWithStateSchema,
  FeatureCollectionSchema,
  HistoryResponseSchema,
  ListDevicesResponseSchema,
  QuarantineResponseSchema,
  ListScenesResponseSchema,
  AuditResponseSchema,
  ListUsersResponseSchema,
  SessionInfoSchema,
  SignOutResponseSchema,
  StaffUserSchema,
  type AboutResponse,
  type AuditFilter,
  type SessionInfo,
  type ListScenesResponse,
  type Aggregation,
  type BasemapLayer,
  type DeviceWithState,
  type HistoryResponse,
} from '../../../contracts/api'
import type { DeviceKind } from '../../../contracts/schemas/device'
import { SceneSchema, type Scene } from '../../../contracts/schemas/scene'
import type { QuarantineReason } from '../../../contracts/schemas/quarantine'
import type { Bbox } from '../../../contracts/events'
import type { Role } from '../../../contracts/access'
import { sendJson } from './send-json'
import {
  AckManyResponseSchema,
  AlarmDetailResponseSchema,
  AlarmKpisSchema,
  AlarmRuleRecordSchema,
  AlarmSchema,
  ListAlarmsResponseSchema,
  ListRulesResponseSchema,
  type Alarm,
  type AlarmAction,
  type AlarmKpis,
  type AlarmRuleRecord,
  type AlarmView,
  type ListAlarmsResponse,
} from '../../../contracts/alarm-api'
import type { AlarmPriority } from '../../../contracts/alarms'
import type { AlarmRule } from '../../../contracts/alarm-rules'
import {
  IncidentDetailSchema,
  IncidentFeatureCollectionSchema,
  ListIncidentsResponseSchema,
  ShiftLogEntrySchema,
  ShiftLogResponseSchema,
  type CreateIncidentBody,
  type Incident,
  type IncidentActionBody,
  type IncidentDetail,
  type ShiftLogEntry,
  type UpdateIncidentBody,
} from '../../../contracts/incident-api'
import {
  CameraSchema,
  type Camera,
  ConnectivityResponseSchema,
  ListCamerasResponseSchema,
  LiveViewSchema,
  OutageCollectionSchema,
  type CameraRecordInput,
  type ConnectivityResponse,
  type ListCamerasResponse,
  type LiveView,
  type OutageCollection,
} from '../../../contracts/camera-api'
import {
  EnvironmentDashboardSchema,
  ListWallLayoutsResponseSchema,
  MobilityDashboardSchema,
  type EnvironmentDashboard,
  type MobilityDashboard,
} from '../../../contracts/dashboard-api'
import { WallLayoutSchema, type WallLayout } from '../../../contracts/wall'

export type ListDevicesResponse = z.infer<typeof ListDevicesResponseSchema>
export type QuarantineResponse = z.infer<typeof QuarantineResponseSchema>
export type FeatureCollection = z.infer<typeof FeatureCollectionSchema>

export interface HistoryRequest {
  stream?: string
  fromMs?: number
  toMs?: number
  agg: Aggregation
}

export interface RestClient {
  listDevices(query?: { kind?: DeviceKind; bbox?: Bbox; limit?: number; offset?: number }, signal?: AbortSignal): Promise<ListDevicesResponse>
  getDevice(id: string, signal?: AbortSignal): Promise<DeviceWithState>
  deviceHistory(id: string, query: HistoryRequest, signal?: AbortSignal): Promise<HistoryResponse>
  listQuarantine(query?: { limit?: number; beforeId?: number; reason?: QuarantineReason }, signal?: AbortSignal): Promise<QuarantineResponse>
  basemap(layer: BasemapLayer, signal?: AbortSignal): Promise<FeatureCollection>
  about(signal?: AbortSignal): Promise<AboutResponse>
  listScenes(signal?: AbortSignal): Promise<ListScenesResponse>
  getScene(id: string, signal?: AbortSignal): Promise<Scene>
  session(signal?: AbortSignal): Promise<SessionInfo>
  signIn(username: string, password: string): Promise<SessionInfo>
  setup(o: { token: string; username: string; password: string; displayName?: string }): Promise<SessionInfo>
  signOut(): Promise<void>
  listUsers(signal?: AbortSignal): Promise<ListUsersResponse>
  createUser(u: { username: string; displayName?: string; roles: Role[]; password: string }): Promise<StaffUser>
  updateUser(username: string, change: { roles?: Role[]; disabled?: boolean; password?: string }): Promise<StaffUser>
  searchAudit(query: AuditSearch, signal?: AbortSignal): Promise<AuditResponse>
  // Control room (ADR 0006)
  listAlarms(query?: { view?: AlarmView; priority?: AlarmPriority; limit?: number }, signal?: AbortSignal): Promise<ListAlarmsResponse>
  getAlarm(id: number, signal?: AbortSignal): Promise<z.infer<typeof AlarmDetailResponseSchema>>
  actOnAlarm(id: number, action: AlarmAction): Promise<Alarm>
  ackAlarms(ids: number[], note?: string): Promise<Alarm[]>
  alarmKpis(hours: number, signal?: AbortSignal): Promise<AlarmKpis>
  listAlarmRules(signal?: AbortSignal): Promise<AlarmRuleRecord[]>
  putAlarmRule(rule: AlarmRule): Promise<AlarmRuleRecord>
  listIncidents(query?: { status?: 'open' | 'closed' | 'all'; limit?: number }, signal?: AbortSignal): Promise<Incident[]>
  incidentsGeoJson(signal?: AbortSignal): Promise<z.infer<typeof IncidentFeatureCollectionSchema>>
  getIncident(id: number, signal?: AbortSignal): Promise<IncidentDetail>
  createIncident(body: CreateIncidentBody): Promise<IncidentDetail>
  updateIncident(id: number, body: UpdateIncidentBody): Promise<IncidentDetail>
  incidentAction(id: number, body: IncidentActionBody): Promise<IncidentDetail>
  closeIncident(id: number, note: string): Promise<IncidentDetail>
  listShiftLog(query?: { limit?: number; beforeId?: number }, signal?: AbortSignal): Promise<z.infer<typeof ShiftLogResponseSchema>>
  appendShiftLog(entry: { kind: 'note' | 'handover'; text: string; openItems?: string }): Promise<ShiftLogEntry>
  listCameras(signal?: AbortSignal): Promise<ListCamerasResponse>
  putCameraRecord(deviceId: string, record: CameraRecordInput): Promise<Camera>
  activateCamera(deviceId: string, on: boolean): Promise<Camera>
  openLiveView(deviceId: string, reason?: string): Promise<LiveView>
  connectivity(signal?: AbortSignal): Promise<ConnectivityResponse>
  connectivityOutages(signal?: AbortSignal): Promise<OutageCollection>
  // Video wall and thematic dashboards (ADR 0006, issue 6 items 6 and 7)
  listWallLayouts(signal?: AbortSignal): Promise<z.infer<typeof ListWallLayoutsResponseSchema>['layouts']>
  getWallLayout(id: string, signal?: AbortSignal): Promise<WallLayout>
  mobilityDashboard(hours: number, signal?: AbortSignal): Promise<MobilityDashboard>
  environmentDashboard(days: number, signal?: AbortSignal): Promise<EnvironmentDashboard>
}

export type ListUsersResponse = z.infer<typeof ListUsersResponseSchema>
export type StaffUser = z.infer<typeof StaffUserSchema>
export type AuditResponse = z.infer<typeof AuditResponseSchema>
export type AuditSearch = AuditFilter

export interface RestClientOptions {
  /** Prefix of every path, '' for the page's own origin. */
  baseUrl?: string
  fetch?: typeof fetch
}

type QueryValue = string | number | undefined

function withQuery(path: string, query: Record<string, QueryValue>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

/** Typed REST client: every response is parsed with its contract schema; failures are ApiError. */
export function createRestClient(options: RestClientOptions = {}): RestClient {
  const baseUrl = options.baseUrl ?? ''
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init))

  const get = <S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal) => send('GET', path, schema, undefined, signal)

  /** One call: the session cookie goes along (same origin); a JSON body for POST and PATCH. */
  const send = <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, signal?: AbortSignal): Promise<z.infer<S>> => sendJson(doFetch, baseUrl, method, path, schema, body, signal)

  return {
    listDevices: (query = {}, signal) =>
      get(
        withQuery('/api/devices', { kind: query.kind, bbox: query.bbox?.join(','), limit: query.limit, offset: query.offset }),
        ListDevicesResponseSchema,
        signal,
      ),
    getDevice: (id, signal) => get(`/api/devices/${encodeURIComponent(id)}`, DeviceWithStateSchema, signal),
    deviceHistory: (id, query, signal) =>
      get(
        withQuery(`/api/devices/${encodeURIComponent(id)}/history`, { stream: query.stream, from: query.fromMs, to: query.toMs, agg: query.agg }),
        HistoryResponseSchema,
        signal,
      ),
    listQuarantine: (query = {}, signal) =>
      get(withQuery('/api/quarantine', { limit: query.limit, beforeId: query.beforeId, reason: query.reason }), QuarantineResponseSchema, signal),
    basemap: (layer, signal) => get(`/api/basemap/${layer}`, FeatureCollectionSchema, signal),
    about: (signal) => get('/api/about', AboutResponseSchema, signal),
    listScenes: (signal) => get('/api/scenes', ListScenesResponseSchema, signal),
    getScene: (id, signal) => get(`/api/scenes/${encodeURIComponent(id)}`, SceneSchema, signal),
    session: (signal) => get('/api/auth/session', SessionInfoSchema, signal),
    signIn: (username, password) => send('POST', '/api/auth/sign-in', SessionInfoSchema, { username, password }),
    setup: (o) => send('POST', '/api/auth/setup', SessionInfoSchema, o),
    signOut: () => send('POST', '/api/auth/sign-out', SignOutResponseSchema, {}).then(() => undefined),
    listUsers: (signal) => get('/api/users', ListUsersResponseSchema, signal),
    createUser: (u) => send('POST', '/api/users', StaffUserSchema, u),
    updateUser: (username, change) => send('PATCH', `/api/users/${encodeURIComponent(username)}`, StaffUserSchema, change),
    searchAudit: (q, signal) =>
      get(withQuery('/api/audit', { actor: q.actor || undefined, action: q.action || undefined, target: q.target || undefined, from: q.fromMs, to: q.toMs, beforeSeq: q.beforeSeq, limit: q.limit }), AuditResponseSchema, signal),
    listAlarms: (q = {}, signal) => get(withQuery('/api/alarms', { view: q.view, priority: q.priority, limit: q.limit }), ListAlarmsResponseSchema, signal),
    getAlarm: (id, signal) => get(`/api/alarms/${id}`, AlarmDetailResponseSchema, signal),
    actOnAlarm: (id, action) => send('POST', `/api/alarms/${id}/actions`, AlarmSchema, action),
    ackAlarms: (ids, note) => send('POST', '/api/alarm-acks', AckManyResponseSchema, note ? { ids, note } : { ids }).then((r) => r.alarms),
    alarmKpis: (hours, signal) => get(withQuery('/api/alarm-kpis', { hours }), AlarmKpisSchema, signal),
    listAlarmRules: (signal) => get('/api/alarm-rules', ListRulesResponseSchema, signal).then((r) => r.rules),
    putAlarmRule: (rule) => send('PUT', `/api/alarm-rules/${encodeURIComponent(rule.id)}`, AlarmRuleRecordSchema, { rule }),
    listIncidents: (q = {}, signal) => get(withQuery('/api/incidents', { status: q.status, limit: q.limit }), ListIncidentsResponseSchema, signal).then((r) => r.incidents),
    incidentsGeoJson: (signal) => get('/api/incidents.geojson', IncidentFeatureCollectionSchema, signal),
    getIncident: (id, signal) => get(`/api/incidents/${id}`, IncidentDetailSchema, signal),
    createIncident: (body) => send('POST', '/api/incidents', IncidentDetailSchema, body),
    updateIncident: (id, body) => send('PATCH', `/api/incidents/${id}`, IncidentDetailSchema, body),
    incidentAction: (id, body) => send('POST', `/api/incidents/${id}/actions`, IncidentDetailSchema, body),
    closeIncident: (id, note) => send('POST', `/api/incidents/${id}/close`, IncidentDetailSchema, { note }),
    listShiftLog: (q = {}, signal) => get(withQuery('/api/shift-log', { limit: q.limit, beforeId: q.beforeId }), ShiftLogResponseSchema, signal),
    appendShiftLog: (entry) => send('POST', '/api/shift-log', ShiftLogEntrySchema, entry),
    listCameras: (signal) => get('/api/cameras', ListCamerasResponseSchema, signal),
    putCameraRecord: (deviceId, record) => send('PUT', `/api/cameras/${encodeURIComponent(deviceId)}/record`, CameraSchema, record),
    activateCamera: (deviceId, on) => send('POST', `/api/cameras/${encodeURIComponent(deviceId)}/${on ? 'activate' : 'deactivate'}`, CameraSchema, {}),
    openLiveView: (deviceId, reason) => send('POST', `/api/cameras/${encodeURIComponent(deviceId)}/live-view`, LiveViewSchema, reason ? { reason } : {}),
    connectivity: (signal) => get('/api/connectivity', ConnectivityResponseSchema, signal),
    connectivityOutages: (signal) => get('/api/connectivity/outages.geojson', OutageCollectionSchema, signal),
    listWallLayouts: (signal) => get('/api/wall-layouts', ListWallLayoutsResponseSchema, signal).then((r) => r.layouts),
    getWallLayout: (id, signal) => get(`/api/wall-layouts/${encodeURIComponent(id)}`, WallLayoutSchema, signal),
    mobilityDashboard: (hours, signal) => get(withQuery('/api/dashboards/mobility', { hours }), MobilityDashboardSchema, signal),
    environmentDashboard: (days, signal) => get(withQuery('/api/dashboards/environment', { days }), EnvironmentDashboardSchema, signal),
  }
}
