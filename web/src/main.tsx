import { render } from 'preact';
import { App } from './ui/App';
import { registerShellCache } from './offline';
import { start } from './sync/events';
import './styles.css';

start();
registerShellCache();
render(<App />, document.getElementById('app')!);
