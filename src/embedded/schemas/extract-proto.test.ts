import assert from "node:assert/strict";
import { test } from "node:test";
import { applyGoFacts, parseGeneratedProto, readGoPackage } from "./extract-proto.js";

const PROTO = `
// Comment with a brace { that is not a message.
syntax = "proto2";

package k8s.io.api.example.v1;

import "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto";

/* A block comment. */
message Widget {
  // metadata is the object's metadata.
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;

  optional WidgetSpec spec = 2;
}

message WidgetSpec {
  optional int32 replicas = 1;
  optional int32 minReadySeconds = 2;
  optional string mode = 3;
  optional string name = 4;
  repeated string tags = 5;
  map<string, ExtraValue> extra = 6;
  optional bool paused = 7;
}

message WidgetRule {
  optional string host = 1;
  optional WidgetRuleValue widgetRuleValue = 2;
  optional WidgetCommon widgetCommon = 3;
}

message ExtraValue {
  repeated string items = 1;
}
`;

const GO = `package v1

type Widget struct {
	metav1.TypeMeta \`json:",inline"\`
	metav1.ObjectMeta \`json:"metadata,omitempty" protobuf:"bytes,1,opt,name=metadata"\`
	Spec WidgetSpec \`json:"spec,omitempty" protobuf:"bytes,2,opt,name=spec"\`
}

type WidgetSpec struct {
	// Replicas is a pointer: an explicit zero means zero.
	Replicas *int32 \`json:"replicas,omitempty" protobuf:"varint,1,opt,name=replicas"\`
	MinReadySeconds int32 \`json:"minReadySeconds,omitempty" protobuf:"varint,2,opt,name=minReadySeconds"\`
	Mode string \`json:"mode,omitzero" protobuf:"bytes,3,opt,name=mode"\`
	Name string \`json:"name" protobuf:"bytes,4,opt,name=name"\`
	Tags []string \`json:"tags,omitempty" protobuf:"bytes,5,rep,name=tags"\`
	Extra map[string]ExtraValue \`json:"extra,omitempty" protobuf:"bytes,6,rep,name=extra"\`
	Paused *bool \`json:"paused,omitempty" protobuf:"varint,7,opt,name=paused"\`
}

type WidgetRule struct {
	Host string \`json:"host,omitempty" protobuf:"bytes,1,opt,name=host"\`
	WidgetRuleValue \`json:",inline,omitempty" protobuf:"bytes,2,opt,name=widgetRuleValue"\`
	WidgetCommon \`json:",inline" protobuf:"bytes,3,req"\`
}

type ExtraValue []string
`;

test("generated.proto: fields, maps and qualified types; Go types decide which zero values are values", () => {
  const parsed = parseGeneratedProto(PROTO, "example.proto");
  assert.equal(parsed.package, "k8s.io.api.example.v1");
  assert.deepEqual(Object.keys(parsed.messages), [
    "k8s.io.api.example.v1.Widget",
    "k8s.io.api.example.v1.WidgetSpec",
    "k8s.io.api.example.v1.WidgetRule",
    "k8s.io.api.example.v1.ExtraValue",
  ]);
  assert.deepEqual(parsed.messages["k8s.io.api.example.v1.Widget"], [
    { id: 1, name: "metadata", type: "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
    { id: 2, name: "spec", type: "k8s.io.api.example.v1.WidgetSpec" },
  ]);
  const wrappers = applyGoFacts(parsed, readGoPackage([GO]));
  assert.deepEqual(wrappers, ["k8s.io.api.example.v1.ExtraValue"]);
  assert.deepEqual(parsed.messages["k8s.io.api.example.v1.WidgetSpec"], [
    { id: 1, name: "replicas", type: "int32", keepZero: true },
    { id: 2, name: "minReadySeconds", type: "int32" },
    { id: 3, name: "mode", type: "string" },
    { id: 4, name: "name", type: "string", keepZero: true },
    { id: 5, name: "tags", type: "string", repeated: true },
    { id: 6, name: "extra", type: "k8s.io.api.example.v1.ExtraValue", map: true },
    { id: 7, name: "paused", type: "bool", keepZero: true },
  ]);
  // Embedded structs JSON inlines, named by `name=` or, without it, after their type.
  assert.deepEqual(
    parsed.messages["k8s.io.api.example.v1.WidgetRule"]?.map((f) => [f.name, f.inline === true]),
    [
      ["host", false],
      ["widgetRuleValue", true],
      ["widgetCommon", true],
    ],
  );
});

test("a generated.proto in a shape this reader does not know is an error naming the file and field", () => {
  assert.throws(
    () => parseGeneratedProto("package a.b;\nmessage M {\n  oneof x { string y = 1; }\n}\n", "odd.proto"),
    /odd\.proto: M: cannot read the field/,
  );
  assert.throws(() => parseGeneratedProto("message M {}\n", "none.proto"), /none\.proto: no package statement/);
  assert.throws(
    () => parseGeneratedProto("package a;\nmessage M {\n  map<int32, string> m = 1;\n}\n", "key.proto"),
    /key\.proto: M\.m: map key int32 is not a string/,
  );
});
