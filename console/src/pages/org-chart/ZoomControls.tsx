const MIN = 0.5
const MAX = 1.5
const STEP = 0.1

export function ZoomControls({ zoom, onZoom }: { zoom: number; onZoom: (zoom: number) => void }) {
  const set = (value: number) => onZoom(Math.round(Math.min(MAX, Math.max(MIN, value)) * 10) / 10)
  return (
    <fieldset className="zoom">
      <legend className="visually-hidden">Zoom</legend>
      <button
        type="button"
        className="button small"
        onClick={() => set(zoom - STEP)}
        disabled={zoom <= MIN}
        aria-label="Zoom out"
      >
        −
      </button>
      <output className="zoom-level" aria-live="polite">
        {Math.round(zoom * 100)}%
      </output>
      <button
        type="button"
        className="button small"
        onClick={() => set(zoom + STEP)}
        disabled={zoom >= MAX}
        aria-label="Zoom in"
      >
        +
      </button>
      <button type="button" className="button small" onClick={() => onZoom(1)} disabled={zoom === 1}>
        Reset zoom
      </button>
    </fieldset>
  )
}
