import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CensusModel } from '../../../contracts/census-api'
import type { CollectionId } from '../../../contracts/schemas/census'
import { createCensusClient, type CensusClient } from '../api/census-client'
import { createTokenClient, type TokenClient } from '../api/token-client'
import { MapCoverSheet, type MapCoverSheetProps } from '../panels/map-cover-sheet'
import { useFetched } from '../panels/use-fetched'
import { closeCensusMap, type CensusMapState, type CensusMapStore } from '../state/census-map'
import '../panels/panels.css'
import '../panels/control-room.css'
import './census.css'
import { CensusHome } from './census-home'
import { screenOfLink, type CensusScreen } from './census-screen'
import { CensusServicesProvider, useCensusServices } from './census-services'
import { CollectionView } from './collection-view'
import { FeatureEditor } from './feature-editor'
import { useMapClicks } from './use-map-clicks'
import { mapLayerOf, useViewportFeatures } from './use-viewport-features'
import { typeTitle, useLang } from './use-lang'

export interface CensusPanelProps {
  onClose(): void
  /** The census map state the 2D map follows. */
  channel: CensusMapStore
  /** `?census=<collection>[/<id>]` from the page address (the OGC HTML pages link there). */
  initial?: string | null
  client?: CensusClient
  tokens?: TokenClient
}

/**
 * The infrastructure census editor (ADR 0008) in a sheet on the right that leaves the map usable:
 * the collections, one collection's features in the viewport, and one feature's form, geometry and
 * history. GIS staff (census:write) create, move, reshape, change and delete; everyone else with
 * census:read sees the same read-only. Features are read and written through /ogc with If-Match.
 */
export function CensusPanel({ onClose, channel, initial = null, client, tokens }: CensusPanelProps) {
  const { t } = useTranslation()
  const censusClient = useMemo(() => client ?? createCensusClient(), [client])
  const tokenClient = useMemo(() => tokens ?? createTokenClient(), [tokens])
  const fetchModel = useCallback((signal?: AbortSignal) => censusClient.model(signal), [censusClient])
  const model = useFetched<CensusModel>(fetchModel)

  useEffect(() => {
    channel.set((s) => ({ ...s, active: true }))
    return () => channel.set(closeCensusMap)
  }, [channel])

  const services = useMemo(() => (model.data ? { client: censusClient, tokens: tokenClient, channel, model: model.data } : null), [censusClient, tokenClient, channel, model.data])
  if (!services) {
    return (
      <CensusFrame title={t('census.title')} onClose={onClose} channel={channel}>
        {model.error ? <p className="error-text">{t('census.loadFailed', { message: model.error })}</p> : <p className="muted">{t('census.loading')}</p>}
      </CensusFrame>
    )
  }
  return (
    <CensusServicesProvider services={services}>
      <CensusScreens onClose={onClose} initial={initial} />
    </CensusServicesProvider>
  )
}

/** The editor's sheet: heading, close button, Escape (outside a field) closes; it reports its width to the map. */
function CensusFrame(props: Omit<MapCoverSheetProps<CensusMapState>, 'closeLabel' | 'className' | 'testId' | 'closeTestId'>) {
  const { t } = useTranslation()
  return <MapCoverSheet {...props} closeLabel={t('census.close')} className="census-panel" testId="census-panel" closeTestId="census-close" />
}

function CensusScreens({ onClose, initial }: { onClose(): void; initial: string | null }) {
  const { t } = useTranslation()
  const lang = useLang()
  const { model, channel } = useCensusServices()
  const [screen, setScreen] = useState<CensusScreen>(() => screenOfLink(initial))
  const [revision, setRevision] = useState(0)
  const sessions = useRef(1)
  const dirty = useRef(false)
  const onDirtyChange = useCallback((d: boolean) => {
    dirty.current = d
  }, [])
  const mayLeave = useCallback(() => {
    if (dirty.current && !window.confirm(t('census.discard'))) return false
    dirty.current = false
    return true
  }, [t])
  const go = useCallback(
    (next: CensusScreen) => {
      if (!mayLeave()) return
      setScreen(next)
    },
    [mayLeave],
  )
  const openFeature = useCallback((collection: CollectionId, id: number | null, focus = true) => go({ kind: 'feature', collection, id, session: sessions.current++, focus }), [go])

  const collection = screen.kind === 'home' ? null : screen.collection
  const collections = useMemo(() => (collection ? [collection] : []), [collection])
  const publish = useCallback((layers: ReturnType<typeof mapLayerOf>[]) => channel.set((s) => ({ ...s, main: layers[0] ?? null })), [channel])
  const features = useViewportFeatures(collections, revision, publish)
  useEffect(() => {
    if (!collection) channel.set((s) => ({ ...s, main: null }))
  }, [channel, collection])

  // A click on a feature of the open collection opens it (browsing, or editing another one).
  useMapClicks((c, id) => {
    if (collection === c && !(screen.kind === 'feature' && screen.id === id)) openFeature(c, id, false)
  }, ['browse', 'edit'])

  const type = collection ? model.types.find((x) => x.id === collection) : undefined
  const title =
    screen.kind === 'home' || !type ? (
      t('census.title')
    ) : (
      <>
        <button type="button" className="text-button" onClick={() => go(screen.kind === 'feature' ? { kind: 'collection', collection: screen.collection } : { kind: 'home' })} data-testid="census-back">
          ← {screen.kind === 'feature' ? typeTitle(type, lang) : t('census.home.title')}
        </button>{' '}
        {screen.kind === 'feature' ? (screen.id === null ? t('census.editor.newTitle', { type: typeTitle(type, lang) }) : `#${screen.id}`) : typeTitle(type, lang)}
      </>
    )

  return (
    <CensusFrame title={title} onClose={onClose} mayLeave={mayLeave} channel={channel}>
      {screen.kind === 'home' && <CensusHome onOpenCollection={(c) => go({ kind: 'collection', collection: c })} onOpenFeature={openFeature} />}
      {screen.kind === 'collection' && type && <CollectionView type={type} features={features} onOpen={(id) => openFeature(screen.collection, id)} onNew={() => openFeature(screen.collection, null, false)} onImported={() => setRevision((r) => r + 1)} />}
      {screen.kind === 'feature' && type && (
        <FeatureEditor
          key={screen.session}
          type={type}
          id={screen.id}
          focus={screen.focus}
          onDirtyChange={onDirtyChange}
          onSaved={(id: number) => {
            setRevision((r) => r + 1)
            if (screen.id !== id) setScreen({ ...screen, id })
          }}
          onDeleted={() => {
            dirty.current = false
            setRevision((r) => r + 1)
            setScreen({ kind: 'collection', collection: screen.collection })
          }}
        />
      )}
    </CensusFrame>
  )
}
