import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, getText } from './api';

/** The dependency map `npm run graph` wrote, drawn as SVG by Graphviz compiled to WebAssembly (loaded on demand). */
export function DependencyMap() {
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState('Loading the dependency map…');

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const dot = await getText('/graph.dot');
        const { instance } = await import('@viz-js/viz');
        const svg = (await instance()).renderSVGElement(dot);
        if (cancelled) return;
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', 'Dependency map of the monolith and the services');
        host.current?.replaceChildren(svg);
        setStatus('');
      } catch (error) {
        if (!cancelled) {
          setStatus(error instanceof ApiError ? error.message : `the map could not be drawn: ${String(error)}`);
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <section aria-labelledby="map-heading">
      <h2 id="map-heading">Dependency map</h2>
      {status && <p class="note">{status}</p>}
      <div ref={host} class="dependency-map" />
    </section>
  );
}
