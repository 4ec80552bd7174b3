import { render } from 'preact';
import { App } from './ui/App';
import { registerShellCache } from './offline';
import { start } from './sync';
import './styles.css';

start();
registerShellCache();
render(<App />, document.getElementById('app')!);
