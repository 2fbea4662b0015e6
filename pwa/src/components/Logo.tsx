// The app's mark: the gate of the home-screen icon (scripts/make-icons.ts), drawn as SVG.
export function Logo(props: { size?: number }) {
  return (
    <svg width={props.size ?? 32} height={props.size ?? 32} viewBox="0 0 100 100" aria-hidden="true">
      <rect width="100" height="100" rx="22" fill="#0f766e" />
      <g fill="#ffffff">
        <rect x="24.2" y="28.2" width="51.7" height="8.2" rx="1.5" />
        <rect x="31" y="36.4" width="9.5" height="38.1" />
        <rect x="59.5" y="36.4" width="9.5" height="38.1" />
        <rect x="40.5" y="44.6" width="19" height="5.4" />
      </g>
    </svg>
  );
}
