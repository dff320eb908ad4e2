import assert from "node:assert/strict";
import { test } from "node:test";
import { duplicateFields } from "./json-duplicates.js";

test("fields named twice in one object are found by path; the same name in different objects is not", () => {
  assert.deepEqual(duplicateFields('{"metadata":{"name":"x","name":"y"},"data":{"a":"1","a":"2"}}'), [
    "metadata.name",
    "data.a",
  ]);
  assert.deepEqual(
    duplicateFields(
      '{"spec":{"containers":[{"name":"a","image":"i"},{"name":"b","name":"c"}]},"name":"top","x":{"name":"n"}}',
    ),
    ["spec.containers[1].name"],
  );
  assert.deepEqual(
    duplicateFields('{"a":"{\\"b\\":1,\\"b\\":2}","c":["a","a"]}'),
    [],
    "strings and arrays are no objects",
  );
  assert.deepEqual(duplicateFields('{"k":"v" , "k" : 1}'), ["k"], "whitespace around the colon");
});
