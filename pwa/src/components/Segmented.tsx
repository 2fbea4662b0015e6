// A choice of a few options as one bar of buttons (aria-pressed), in a fieldset whose legend is
// its visible label.
import { For } from "solid-js";

export function Segmented<T extends string | number>(props: {
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
}) {
  return (
    <fieldset class="choice">
      <legend>{props.label}</legend>
      <div class="segmented">
        <For each={props.options}>
          {([value, text]) => (
            <button type="button" aria-pressed={props.value === value} onClick={() => props.onChange(value)}>
              {text}
            </button>
          )}
        </For>
      </div>
    </fieldset>
  );
}
