/**
 * The --vscode-* variables VS Code sets on a webview's <html> element, for the standalone dashboard tests:
 * values taken from the default Light Modern / Dark Modern / High Contrast themes (a subset: what the dashboard
 * and the toolkit read). In code-server the workbench supplies the real ones.
 */
export type ThemeName = 'light' | 'dark' | 'high-contrast';

const shared: Record<string, string> = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", monospace',
  'editor-font-size': '13px',
};

const light: Record<string, string> = {
  foreground: '#3b3b3b', descriptionForeground: '#717171', errorForeground: '#f85149', focusBorder: '#005fb8',
  'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', 'panel-background': '#f8f8f8', 'panel-border': '#e5e5e5',
  'widget-border': '#e5e5e5', contrastBorder: 'transparent', 'contrastActiveBorder': 'transparent',
  'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
  'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
  'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece', 'dropdown-listBackground': '#ffffff',
  'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
  'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
  'list-inactiveSelectionBackground': '#e4e6f1', 'list-focusOutline': '#005fb8',
  'panelTitle-activeBorder': '#005fb8', 'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-inactiveForeground': '#3b3b3b',
  'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8', 'textPreformat-foreground': '#3b3b3b',
  'textCodeBlock-background': '#f8f8f8', 'textBlockQuote-background': '#f8f8f8',
  'charts-foreground': '#616161', 'charts-lines': '#61616180', 'charts-red': '#e51400', 'charts-blue': '#1a85ff', 'charts-yellow': '#bf8803',
  'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90',
  'testing-iconPassed': '#388a34', 'testing-iconFailed': '#f14c4c', 'editorWarning-foreground': '#bf8803', 'editorInfo-foreground': '#1a85ff',
  'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece',
  'scrollbarSlider-background': '#64646466', 'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#00000099',
};

const dark: Record<string, string> = {
  foreground: '#cccccc', descriptionForeground: '#9d9d9d', errorForeground: '#f85149', focusBorder: '#0078d4',
  'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', 'panel-background': '#181818', 'panel-border': '#2b2b2b',
  'widget-border': '#313131', contrastBorder: 'transparent', 'contrastActiveBorder': 'transparent',
  'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
  'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
  'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c', 'dropdown-listBackground': '#1f1f1f',
  'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
  'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
  'list-inactiveSelectionBackground': '#37373d', 'list-focusOutline': '#0078d4',
  'panelTitle-activeBorder': '#0078d4', 'panelTitle-activeForeground': '#cccccc', 'panelTitle-inactiveForeground': '#9d9d9d',
  'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc', 'textPreformat-foreground': '#d0d0d0',
  'textCodeBlock-background': '#2b2b2b', 'textBlockQuote-background': '#2b2b2b',
  'charts-foreground': '#cccccc', 'charts-lines': '#cccccc80', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff', 'charts-yellow': '#cca700',
  'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
  'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c', 'editorWarning-foreground': '#cca700', 'editorInfo-foreground': '#3794ff',
  'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c',
  'scrollbarSlider-background': '#79797966', 'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#bfbfbf66',
};

const highContrast: Record<string, string> = {
  ...dark,
  foreground: '#ffffff', descriptionForeground: '#ffffff', focusBorder: '#f38518', 'editor-background': '#000000', 'panel-background': '#000000',
  'panel-border': '#6fc3df', 'widget-border': '#6fc3df', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
  'button-background': '#000000', 'button-border': '#6fc3df', 'dropdown-background': '#000000', 'input-background': '#000000',
  'list-activeSelectionBackground': '#000000', 'list-inactiveSelectionBackground': '#000000', 'list-hoverBackground': '#000000',
  'charts-foreground': '#ffffff', 'charts-lines': '#ffffff', 'charts-blue': '#3794ff', 'charts-green': '#89d185', 'textBlockQuote-background': '#000000',
  'textCodeBlock-background': '#000000',
};

const THEMES: Record<ThemeName, { vars: Record<string, string>; bodyClass: string; kind: string }> = {
  light: { vars: light, bodyClass: 'vscode-light', kind: 'vscode-light' },
  dark: { vars: dark, bodyClass: 'vscode-dark', kind: 'vscode-dark' },
  'high-contrast': { vars: highContrast, bodyClass: 'vscode-high-contrast', kind: 'vscode-high-contrast' },
};

/** CSS text declaring the theme's variables on :root. */
export function themeCss(name: ThemeName): string {
  const vars = { ...shared, ...THEMES[name].vars };
  return `:root {\n${Object.entries(vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n')}\n}\n`;
}

export function themeBodyClass(name: ThemeName): string {
  return THEMES[name].bodyClass;
}
