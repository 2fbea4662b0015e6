// spliceTopLevel changes only the named top-level members and keeps every other byte.
import { expect, test } from "bun:test";
import { spliceTopLevel } from "../../server/protocol/json-splice.ts";

const text = '{ "a":1,  "b" : {"x":"}\\"{"} ,"c":[1,{"d":2}],"e":"z" }';
const splice = (changes: [string, unknown][]) => spliceTopLevel(text, new Map(changes));

test("removing the first, a middle and the last member keeps the others' bytes and valid JSON", () => {
  expect(splice([["a", undefined]])).toBe('{"b" : {"x":"}\\"{"} ,"c":[1,{"d":2}],"e":"z" }');
  expect(splice([["c", undefined]])).toBe('{ "a":1,  "b" : {"x":"}\\"{"},"e":"z" }');
  expect(splice([["e", undefined]])).toBe('{ "a":1,  "b" : {"x":"}\\"{"} ,"c":[1,{"d":2}] }');
  expect(
    splice([
      ["a", undefined],
      ["b", undefined],
    ]),
  ).toBe('{"c":[1,{"d":2}],"e":"z" }');
  for (const name of ["a", "b", "c", "e"]) expect(() => JSON.parse(splice([[name, undefined]]))).not.toThrow();
});

test("replacing a value keeps its key bytes; a new member goes last", () => {
  expect(splice([["b", 5]])).toBe('{ "a":1,  "b" : 5 ,"c":[1,{"d":2}],"e":"z" }');
  expect(JSON.parse(splice([["f", { g: true }]]))).toEqual({ ...JSON.parse(text), f: { g: true } });
  expect(spliceTopLevel("{}", new Map([["k", 1]]))).toBe('{"k":1}');
  expect(spliceTopLevel('{"k":1}', new Map([["k", undefined]]))).toBe("{}");
});
