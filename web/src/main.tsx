import { render } from 'preact';
import { App } from './ui/App';
import { start } from './sync';
import './styles.css';

start();
render(<App />, document.getElementById('app')!);
