// The dashboard's entry point (bundled by scripts/build-ui.ts into dist/ui/app.js).
import { render } from "preact";
import { Dashboard } from "./dashboard.js";

const root = document.getElementById("root");
if (root) render(<Dashboard />, root);
