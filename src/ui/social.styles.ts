// Styles of hands, reactions and connection quality (ui/social.ts): the marks beside a name,
// the reaction over a tile, the picker above the bar and the people panel.
import { css } from 'lit';

export const socialStyles = css`
  .emoji {
    font-size: 1.25em;
    line-height: 1;
  }
  .mark {
    display: grid;
    flex: none;
    padding: 3px;
    border-radius: 999px;
    background: var(--_overlay);
    color: #fff;
    line-height: 1;
  }
  .mark svg {
    width: 16px;
    height: 16px;
  }
  .quality[data-level='good'] { color: #4ade80; }
  .quality[data-level='fair'] { color: #fbbf24; }
  .quality[data-level='poor'] { color: #f87171; }
  /* fewer bars for a weaker connection: the level reads without its colour */
  .quality[data-level='fair'] path:last-child,
  .quality[data-level='poor'] path:not(:first-child) {
    opacity: 0.3;
  }
  .reaction {
    position: absolute;
    top: 8px;
    inset-inline-end: 8px;
    font-size: clamp(22px, 12cqmin, 48px);
    line-height: 1;
    animation: rise 600ms ease-out;
  }
  @keyframes rise {
    from { transform: translateY(40%); opacity: 0; }
  }
  @media (prefers-reduced-motion: reduce) {
    .reaction { animation: none; }
  }
  .bar {
    position: relative;
  }
  .picker {
    position: absolute;
    bottom: calc(100% + 8px);
    inset-inline: 0;
    width: max-content;
    max-width: 100%;
    margin: auto;
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    padding: 4px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_surface);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.24);
    z-index: 3;
  }
  .people {
    position: absolute;
    inset-inline-end: 0;
    top: 0;
    bottom: 0;
    width: min(300px, 100%);
  }
  .people-list {
    flex: 1;
    margin: 0;
    padding: 0 8px 8px;
    list-style: none;
    overflow-y: auto;
  }
  .person {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 6px;
  }
  .person .name {
    flex: 1;
    padding: 0;
    background: none;
    color: inherit;
    font-size: inherit;
  }
  .person .mark {
    background: var(--_control);
    color: inherit;
  }
  .person .mark[data-off] {
    color: var(--_danger);
  }
`;
