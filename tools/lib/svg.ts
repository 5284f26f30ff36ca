// Hand-written SVG charts for reports (no dependencies, no browser): grouped bar charts and
// x/y charts (points and/or lines), each with axes, tick labels, a title and a legend.
// A point can be flagged (ringed, with a legend entry saying why): e.g. measured on a saturated machine.
// Plus wellFormed(): a small XML well-formedness check the tests run on every chart.

export interface Series { name: string, color?: string }
export interface BarSeries extends Series { values: number[] }
export interface XYSeries extends Series {
  points: Array<[number, number]>
  /** Dots, a polyline through the points in x order, or both. Default 'points'. */
  mode?: 'points' | 'line' | 'both'
  /** Parallel to points: true rings that point (see XYChartSpec.flagLegend). */
  flags?: boolean[]
}

interface Frame {
  title: string
  xLabel: string
  yLabel: string
  /** A line of small print under the title (e.g. what the model is). */
  subtitle?: string
  width?: number
  height?: number
}

/** Categories label the groups; '\n' in a label starts a second, smaller line. */
export interface BarChartSpec extends Frame { categories: string[], series: BarSeries[] }
export interface XYChartSpec extends Frame {
  series: XYSeries[]
  xDomain?: [number, number]
  yDomain?: [number, number]
  /** Legend text for flagged points, shown when any point is flagged. Default 'flagged'. */
  flagLegend?: string
}

const FLAG_COLOR = '#d62728'
const flagRing = (cx: number, cy: number): string => `<circle cx="${f(cx)}" cy="${f(cy)}" r="7.5" fill="none" stroke="${FLAG_COLOR}" stroke-width="2" class="flagged"/>`

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f']

const M = { left: 78, right: 230, top: 58, bottom: 62 }

export function escapeXml (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

/** Round-ish tick values covering [min, max] (about `count` of them). */
export function niceTicks (min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1]
  if (max < min) [min, max] = [max, min]
  if (max === min) { const pad = max === 0 ? 1 : Math.abs(max) * 0.5; min -= pad; max += pad }
  const raw = (max - min) / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map(f => f * mag).find(s => s >= raw) ?? 10 * mag
  const out: number[] = []
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  if (out[out.length - 1] < max) out.push(Number((out[out.length - 1] + step).toPrecision(12)))
  return out
}

/** A tick label: short, no float noise (1.5k, 2M for large values). */
export function fmtTick (v: number): string {
  const a = Math.abs(v)
  if (a >= 1e9) return `${Number((v / 1e9).toPrecision(3))}G`
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`
  return String(Number(v.toPrecision(4)))
}

const f = (x: number): string => String(Math.round(x * 100) / 100)

function text (x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${f(x)}" y="${f(y)}"${attrs === '' ? '' : ' ' + attrs}>${escapeXml(s)}</text>`
}

interface Canvas { w: number, h: number, pw: number, ph: number, x0: number, y0: number }

function canvas (spec: Frame): Canvas {
  const w = spec.width ?? 800
  const h = spec.height ?? 420
  return { w, h, pw: w - M.left - M.right, ph: h - M.top - M.bottom, x0: M.left, y0: h - M.bottom }
}

function open (spec: Frame, c: Canvas): string[] {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${c.w}" height="${c.h}" viewBox="0 0 ${c.w} ${c.h}" font-family="sans-serif" font-size="12">`,
    `<rect x="0" y="0" width="${c.w}" height="${c.h}" fill="#ffffff"/>`,
    text(c.w / 2 - M.right / 2 + M.left / 2, 24, spec.title, 'text-anchor="middle" font-size="16" font-weight="bold"')
  ]
  if (spec.subtitle != null) out.push(text(c.w / 2 - M.right / 2 + M.left / 2, 42, spec.subtitle, 'text-anchor="middle" font-size="11" fill="#555555"'))
  return out
}

/** Y axis with grid lines and labels; returns the y mapping. */
function yAxis (c: Canvas, ticks: number[], label: string, out: string[]): (v: number) => number {
  const lo = ticks[0]
  const hi = ticks[ticks.length - 1]
  const y = (v: number): number => c.y0 - ((v - lo) / (hi - lo || 1)) * c.ph
  out.push('<g class="y-axis">')
  for (const t of ticks) {
    out.push(`<line x1="${c.x0}" y1="${f(y(t))}" x2="${c.x0 + c.pw}" y2="${f(y(t))}" stroke="#e5e5e5"/>`)
    out.push(`<line x1="${c.x0 - 5}" y1="${f(y(t))}" x2="${c.x0}" y2="${f(y(t))}" stroke="#000000"/>`)
    out.push(text(c.x0 - 8, y(t) + 4, fmtTick(t), 'text-anchor="end"'))
  }
  out.push(`<line x1="${c.x0}" y1="${c.y0}" x2="${c.x0}" y2="${c.y0 - c.ph}" stroke="#000000"/>`)
  out.push(text(18, c.y0 - c.ph / 2, label, `text-anchor="middle" transform="rotate(-90 18 ${f(c.y0 - c.ph / 2)})"`))
  out.push('</g>')
  return y
}

function xAxisLine (c: Canvas, label: string, out: string[]): void {
  out.push(`<line x1="${c.x0}" y1="${c.y0}" x2="${c.x0 + c.pw}" y2="${c.y0}" stroke="#000000"/>`)
  out.push(text(c.x0 + c.pw / 2, c.h - 14, label, 'text-anchor="middle"'))
}

function legend (c: Canvas, series: Series[], kinds: Array<'bar' | 'points' | 'line' | 'both' | 'flag'>, out: string[]): void {
  const x = c.x0 + c.pw + 16
  out.push('<g class="legend">')
  out.push(text(x, M.top + 4, 'Legend', 'font-weight="bold"'))
  let y = M.top + 24
  series.forEach((s, i) => {
    const col = color(s, i)
    const k = kinds[i]
    if (k === 'bar') out.push(`<rect x="${x}" y="${y - 9}" width="14" height="10" fill="${col}"/>`)
    if (k === 'line' || k === 'both') out.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 14}" y2="${y - 4}" stroke="${col}" stroke-width="2"/>`)
    if (k === 'points' || k === 'both') out.push(`<circle cx="${x + 7}" cy="${y - 4}" r="3.5" fill="${col}"/>`)
    if (k === 'flag') out.push(flagRing(x + 7, y - 4))
    const lines = wrap(s.name, 30, 3)
    lines.forEach((l, j) => { out.push(text(x + 20, y + 13 * j, l, 'font-size="11"')) })
    y += 13 * lines.length + 8
  })
  out.push('</g>')
}

/** Words into at most `max` lines of about `n` characters (the last one cut with "..."). */
export function wrap (s: string, n: number, max: number): string[] {
  const lines: string[] = []
  let cur = ''
  for (const w of s.split(/\s+/)) {
    if (cur !== '' && cur.length + 1 + w.length > n) { lines.push(cur); cur = w } else cur = cur === '' ? w : `${cur} ${w}`
  }
  if (cur !== '') lines.push(cur)
  if (lines.length > max) {
    const kept = lines.slice(0, max)
    kept[max - 1] = kept[max - 1].slice(0, n - 3) + '...'
    return kept
  }
  return lines
}

const color = (s: Series, i: number): string => s.color ?? PALETTE[i % PALETTE.length]

function maxOf (values: number[]): number {
  let m = 0
  for (const v of values) if (Number.isFinite(v) && v > m) m = v
  return m
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart (spec: BarChartSpec): string {
  const c = canvas(spec)
  const out = open(spec, c)
  const ticks = niceTicks(0, maxOf(spec.series.flatMap(s => s.values)) || 1)
  const y = yAxis(c, ticks, spec.yLabel, out)
  xAxisLine(c, spec.xLabel, out)
  const n = Math.max(1, spec.categories.length)
  const gw = c.pw / n
  const bw = (gw * 0.8) / Math.max(1, spec.series.length)
  const every = Math.max(1, Math.ceil(n / 24))
  out.push('<g class="x-axis">')
  spec.categories.forEach((cat, i) => {
    const cx = c.x0 + gw * (i + 0.5)
    out.push(`<line x1="${f(cx)}" y1="${c.y0}" x2="${f(cx)}" y2="${c.y0 + 5}" stroke="#000000"/>`)
    // A label may have a second line after '\n'.
    if (i % every === 0) cat.split('\n').slice(0, 2).forEach((l, j) => { out.push(text(cx, c.y0 + 18 + 13 * j, l, `text-anchor="middle"${j > 0 ? ' font-size="10"' : ''}`)) })
  })
  out.push('</g>')
  out.push('<g class="bars">')
  spec.series.forEach((s, si) => {
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v) || v <= 0) return
      const x = c.x0 + gw * i + gw * 0.1 + bw * si
      out.push(`<rect x="${f(x)}" y="${f(y(v))}" width="${f(Math.max(0.5, bw - 1))}" height="${f(c.y0 - y(v))}" fill="${color(s, si)}"><title>${escapeXml(`${s.name} ${spec.categories[i] ?? i}: ${fmtTick(v)}`)}</title></rect>`)
    })
  })
  out.push('</g>')
  legend(c, spec.series, spec.series.map(() => 'bar'), out)
  out.push('</svg>')
  return out.join('\n') + '\n'
}

/** Points and/or lines over numeric x and y axes. */
export function xyChart (spec: XYChartSpec): string {
  const c = canvas(spec)
  const out = open(spec, c)
  const xs = spec.series.flatMap(s => s.points.map(p => p[0])).filter(Number.isFinite)
  const ys = spec.series.flatMap(s => s.points.map(p => p[1])).filter(Number.isFinite)
  const [xlo, xhi] = spec.xDomain ?? [Math.min(0, ...xs), xs.length === 0 ? 1 : Math.max(...xs)]
  const yt = spec.yDomain != null ? niceTicks(spec.yDomain[0], spec.yDomain[1]) : niceTicks(Math.min(0, ...ys), maxOf(ys) || 1)
  const y = yAxis(c, yt, spec.yLabel, out)
  const xt = niceTicks(xlo, xhi, 10).filter(t => t >= xlo - 1e-9 && t <= xhi + 1e-9)
  const x = (v: number): number => c.x0 + ((v - xlo) / (xhi - xlo || 1)) * c.pw
  xAxisLine(c, spec.xLabel, out)
  out.push('<g class="x-axis">')
  for (const t of xt) {
    out.push(`<line x1="${f(x(t))}" y1="${c.y0}" x2="${f(x(t))}" y2="${c.y0 + 5}" stroke="#000000"/>`)
    out.push(text(x(t), c.y0 + 18, fmtTick(t), 'text-anchor="middle"'))
  }
  out.push('</g>')
  spec.series.forEach((s, si) => {
    const col = color(s, si)
    const mode = s.mode ?? 'points'
    const finite = (p: [number, number]): boolean => Number.isFinite(p[0]) && Number.isFinite(p[1])
    const pts = s.points.filter(finite)
    out.push(`<g class="series">`)
    if (mode !== 'points' && pts.length > 0) {
      const sorted = [...pts].sort((a, b) => a[0] - b[0])
      out.push(`<polyline fill="none" stroke="${col}" stroke-width="2" points="${sorted.map(p => `${f(x(p[0]))},${f(y(p[1]))}`).join(' ')}"/>`)
    }
    if (mode !== 'line') {
      for (const p of pts) out.push(`<circle cx="${f(x(p[0]))}" cy="${f(y(p[1]))}" r="3.5" fill="${col}"><title>${escapeXml(`${s.name}: (${fmtTick(p[0])}, ${fmtTick(p[1])})`)}</title></circle>`)
    }
    s.points.forEach((p, i) => { if (s.flags?.[i] === true && finite(p)) out.push(flagRing(x(p[0]), y(p[1]))) })
    out.push('</g>')
  })
  const flagged = spec.series.some(s => s.flags?.some(Boolean) === true)
  const shown: Series[] = flagged ? [...spec.series, { name: spec.flagLegend ?? 'flagged', color: FLAG_COLOR }] : spec.series
  legend(c, shown, [...spec.series.map(s => s.mode ?? 'points'), ...(flagged ? ['flag' as const] : [])], out)
  out.push('</svg>')
  return out.join('\n') + '\n'
}

const NAME = '[A-Za-z_][\\w:.-]*'
const ATTR = `\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*')`
const TAG = new RegExp(`<(/?)(${NAME})((?:${ATTR})*)\\s*(/?)>`, 'y')
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/

/**
 * A small XML well-formedness check (enough for generated SVG): one root element, every
 * tag closed in order, attributes quoted and not repeated, no stray '<' or bare '&'.
 * Returns null when well formed, else what is wrong.
 */
export function wellFormed (xml: string): string | null {
  let s = xml.replace(/^\uFEFF/, '')
  s = s.replace(/^\s*<\?xml[^?]*\?>/, '')
  if (/<\?xml/.test(s)) return 'misplaced XML declaration'
  const stack: string[] = []
  let roots = 0
  let i = 0
  while (i < s.length) {
    const lt = s.indexOf('<', i)
    const chunk = lt < 0 ? s.slice(i) : s.slice(i, lt)
    if (ENTITY.test(chunk)) return `bare '&' in text near offset ${i}`
    if (chunk.includes('>')) return `stray '>' in text near offset ${i}`
    if (stack.length === 0 && chunk.trim() !== '') return `text outside the root element near offset ${i}`
    if (lt < 0) break
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4)
      if (end < 0) return 'unterminated comment'
      i = end + 3
      continue
    }
    TAG.lastIndex = lt
    const m = TAG.exec(s)
    if (m == null) return `malformed tag at offset ${lt}: ${s.slice(lt, lt + 40)}`
    const [, closing, name, attrs, selfClosing] = m
    if (closing === '/') {
      if (attrs !== '' || selfClosing === '/') return `malformed closing tag </${name}>`
      const top = stack.pop()
      if (top !== name) return `</${name}> closes <${top ?? 'nothing'}>`
    } else {
      const names = [...attrs.matchAll(new RegExp(`(${NAME})\\s*=`, 'g'))].map(a => a[1])
      if (new Set(names).size !== names.length) return `repeated attribute in <${name}>`
      if (ENTITY.test(attrs)) return `bare '&' in an attribute of <${name}>`
      if (stack.length === 0) roots++
      if (roots > 1) return 'more than one root element'
      if (selfClosing !== '/') stack.push(name)
    }
    i = TAG.lastIndex
  }
  if (stack.length > 0) return `unclosed <${stack[stack.length - 1]}>`
  if (roots !== 1) return 'no root element'
  return null
}
