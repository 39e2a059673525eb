package io.storecap.environment; final class Placeholder {}
