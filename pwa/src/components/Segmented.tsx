// A choice of a few options as one bar of buttons (aria-pressed), labelled as a group.
import { For } from "solid-js";

export function Segmented<T extends string | number>(props: {
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
  id?: string;
}) {
  return (
    <fieldset class="segmented" id={props.id}>
      <legend class="sr-only">{props.label}</legend>
      <For each={props.options}>
        {([value, text]) => (
          <button type="button" aria-pressed={props.value === value} onClick={() => props.onChange(value)}>
            {text}
          </button>
        )}
      </For>
    </fieldset>
  );
}
