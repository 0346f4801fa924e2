// esbuild bundles the panel's stylesheet from this import (loader: css).
declare module '*.css';
